"""λ : scalar
W0 -= α(l0ᵀδ1 + λW0)

Written by notation (book style, book naming)."""


def run(*, weights_0_1, alpha, layer_0, layer_1_delta, lambda_):
    """Inputs, by keyword: W0 as weights_0_1, α as alpha, l0 as layer_0, δ1 as layer_1_delta, λ
    as lambda_.

    Returns {notation name: value} for W0.
    """
    # lambda_ : scalar
    weights_0_1 -= alpha * (layer_0.T.dot(layer_1_delta) + lambda_ * weights_0_1)
    return {"W0": weights_0_1}
