y = sigma * (a + c)
