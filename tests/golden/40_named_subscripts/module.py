"""h = relu(xW_{in})
y = hW_{out}

Written by notation (book style, book naming)."""


def relu(x):
    return (x > 0) * x


def run(*, x, W_in, W_out):
    """Inputs, by keyword: x as x, W_{in} as W_in, W_{out} as W_out.

    Returns {notation name: value} for h, y.
    """
    h = relu(x.dot(W_in))
    y = h.dot(W_out)
    return {"h": h, "y": y}
