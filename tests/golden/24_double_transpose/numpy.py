y = x.T.T
