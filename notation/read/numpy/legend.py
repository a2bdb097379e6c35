"""Any identifier -> a notation name by its role, and the legend that shows the choice.

Identifiers the naming scheme reads keep their names (``layer_1`` is l1, ``alpha`` α, ``W1``
W1). Every other one -- ``input``, ``weights``, ``goal_pred``, ``self.W1``, ``model['W1']``,
``weights[0]``, a data slice ``labels[i:i+1]``, ``layer_2.shape[0]`` -- is given a name by its
role, deterministically, in the order the computation first reads it:

- a scalar (bound to a number, a ``.shape[i]``, a learning rate): Greek (``alpha``/``lr`` → α,
  else the Greek letter of its initial);
- a parameter (updated, or the matrix side of a product): ``W_k``, k the index of the layer it
  multiplies; a dropout mask drawn with ``np.random``: ``M_k``;
- the network's input (rows of a data array, or read and never assigned, multiplied by a
  matrix): ``l0``; the other data it is compared with (the target): ``y``;
- a delta (an assigned name that says ``delta``, ``grad`` or ``err``): ``δ_k``; the change
  applied to a parameter ``W_k``: ``G_k``;
- any other assigned value: the layer ``l_k``, k one more than the deepest layer it multiplies
  by a matrix (or the same k, with another letter, when it only transforms that layer).

``names={"input": "l0"}`` (the CLI's ``--names input=l0``) chooses names. Two identifiers never
get one notation name: a clash is an error naming both.
"""

from __future__ import annotations

from ...errors import NotationTranslationError
from ...greek import UNICODE_BY_ENGLISH
from ...kinds import Kind, kind_by_letter
from ...naming import Scheme
from ...nodes import Name
from .names import Binding, Facts, show

LEARNING_RATES = {"alpha", "lr", "learning_rate", "eta", "step_size", "learningrate", "rate"}
TARGET_WORDS = ("goal", "target", "label", "true", "truth", "expected", "answer")
DELTA_WORDS = ("delta", "grad", "deriv")
SCALAR_WORDS = ("size", "num_", "count", "scale", "factor", "batch")
GREEK_BY_INITIAL = {"a": "α", "b": "β", "g": "γ", "e": "ε", "z": "ζ", "h": "η", "t": "τ",
                    "i": "ι", "k": "κ", "l": "λ", "m": "μ", "n": "ν", "x": "ξ", "p": "π",
                    "r": "ρ", "f": "φ", "c": "χ", "o": "ω", "s": "ν"}
GREEK_SPARE = "βγεζηθικλμνξπρτυφχψω"
LAYER_LETTERS = "lzahopquv"


class Legend:
    """identifier -> Name, with why; ``scheme()`` prints NumPy back with the identifiers."""

    def __init__(self, scheme: Scheme, chosen: dict[str, Name] | None = None):
        self.base = scheme
        self.by_key: dict[str, Name] = {}
        self.why: dict[str, str] = {}
        self.taken: dict[Name, str] = {}
        self.scalars: set[str] = set()   # identifiers named by a Latin letter that are scalars
        for ident, name in (chosen or {}).items():
            self._take(ident, name, "chosen")

    def _take(self, ident: str, name: Name, why: str) -> None:
        other = self.taken.get(name)
        if other is not None and other != ident:
            raise NotationTranslationError(
                f"{ident} and {other} would both be {show(name)}: two identifiers never share "
                f"one notation name", hint=f"choose another name for one of them with "
                f"--names {ident}=… (names=…)")
        self.by_key[ident] = name
        self.why[ident] = why
        self.taken[name] = ident

    def resolve_key(self, ident: str) -> Name | None:
        return self.by_key.get(ident)

    def entries(self) -> list[tuple[str, str, str]]:
        """(identifier, notation name, why) for every identifier the scheme does not read."""
        return [(k, show(n), self.why[k]) for k, n in self.by_key.items()
                if self.why[k] != "scheme"]

    def text(self) -> str:
        return "\n".join(f"{k} → {n} ({w})" for k, n, w in self.entries())

    def restoring(self) -> Scheme:
        """A naming scheme that prints each name back as the identifier it was read from."""
        return _Restoring(self.base, {n: k for k, n in self.by_key.items()
                                      if k.isidentifier()})

    # -- choosing
    def assign(self, facts: dict[str, Facts], bindings: dict[str, Binding], columns: bool) -> None:
        keys = sorted(facts, key=lambda k: facts[k].order)
        for k in keys:                       # names the scheme reads keep them
            if k in self.by_key:
                continue
            found = self._scheme_name(k)
            if found is not None and found in self.taken and k.isidentifier() \
                    and self.taken[found].isidentifier() \
                    and self.why[self.taken[found]] in ("scheme", "chosen"):
                self._take(k, found, "scheme")      # two spellings of one name: refused
            if found is not None and found not in self.taken:
                self._take(k, found, "scheme" if found == self.base.notation(k) else "its attribute")
        for k in keys:
            if k not in self.by_key:
                name, why = self._role(k, facts, bindings)
                self._take(k, name, why)

    def _scheme_name(self, k: str) -> Name | None:
        if k.isidentifier():
            return self.base.notation(k)
        last = k.rsplit(".", 1)[-1] if "[" not in k else None
        if last is not None:
            return self.base.notation(last)
        if k.endswith("']") and "['" in k:
            return self.base.notation(k[k.rindex("['") + 2:-2])
        return None

    def _role(self, k: str, facts: dict[str, Facts], bindings: dict[str, Binding]):
        f = facts[k]
        b = bindings.get(k)
        if b is not None and b.kind == "constant":      # weight_deltas[0] = 0, as a mask
            return self._free("M", None), b.note
        word = _word(f.rows_of) if f.rows_of else _word(k)
        scalar = self._scalar_role(k, f, b, word)
        if scalar is not None:
            return scalar
        if b is not None and b.kind == "mask":
            sub = self._sub_of(b.of)
            return self._free("M", sub), f"a mask drawn with np.random, an input shaped as {b.of}"
        if any(t in word for t in DELTA_WORDS) and not f.updated and (
                "weight" in word or "bias" in word):
            letter = "G" if "weight" in word else "g"
            target = self.by_key.get(f.change_of) if f.change_of else None
            sub = target.sub if target is not None and target.sub else _number(k)
            return self._free(letter, sub if letter == "G" else None), \
                "a change to " + ("weights" if letter == "G" else "a bias")
        if f.change_of is not None and (not f.updated or any(t in word for t in DELTA_WORDS)):
            target = self.by_key.get(f.change_of)
            if target is not None and kind_by_letter(target) is Kind.MATRIX:
                return self._free("G", target.sub), f"the change to {show(target)}"
        if "mask" in word and not f.assigned:
            return self._free("M", None), "a mask, an input"
        if "bias" in word and not f.assigned:
            return self._free("b", None), "a bias"
        if f.updated or f.matrix_side or (b is not None and b.kind == "matrix") or any(
                t in word for t in ("weight", "wgt")) and not any(t in word for t in DELTA_WORDS):
            sub = next((s for s in (self._sub_of(p) for p in f.partners) if s is not None), None)
            return self._free("W", sub), "a parameter" if f.updated else "a matrix"
        if f.rows_of is not None and b is None:
            b = Binding("rows", f"rows of {f.rows_of}", of=f.rows_of)
        if f.read_first and not f.assigned and any(t in word for t in DELTA_WORDS):
            return self._free("δ", _number(k)), "a delta, an input"
        if b is not None and b.kind == "rows" or (f.read_first and not f.assigned):
            rows = f" (rows of {b.of})" if b is not None and b.kind == "rows" else ""
            if f.input_side or any(t in word for t in ("input", "image", "feature", "x")) \
                    and not any(t in word for t in TARGET_WORDS):
                return self._free("l", "0"), "the input" + rows
            if any(t in word for t in TARGET_WORDS) or rows or f.compared:
                return self._free("y", ""), "the target" + rows
            return self._free(_latin(word), ""), "an input"
        depth = self._depth(f)
        if any(t in word for t in DELTA_WORDS):       # its own number first: l2_delta is δ2
            return self._free("δ", _number(k) or depth), "a delta"
        if ("error" in word or "loss" in word) and not f.multiplies:
            return self._free("e", None), "an error"
        if any(t in word for t in DELTA_WORDS):
            return self._free("δ", depth), "a delta"
        for letter in LAYER_LETTERS:
            name = Name(letter, depth)
            if name not in self.taken:
                return name, "a layer"
        return self._free(_latin(word), depth), "a value"

    def _scalar_role(self, k: str, f: Facts, b, word: str):
        """(name, why) for a scalar: bound to a number, a learning rate, ``x.shape[0]``, a
        word such as ``batch_size``; None for anything else."""
        scalar_word = any(t in word for t in SCALAR_WORDS) and not f.assigned and not f.rows_of
        if not (b is not None and b.kind == "scalar" or word in LEARNING_RATES or ".shape[" in k
                or scalar_word):
            return None
        if word in LEARNING_RATES and Name("α") not in self.taken:
            return Name("α"), "the learning rate, a scalar"
        if f.updated or "weight" in word:
            self.scalars.add(k)
            return self._free("W", None), "a parameter, a scalar"
        if ".shape[" in k:
            return self._greek("n"), "the number of rows of " + k.split(".shape")[0]
        if "input" in word or any(t in word for t in TARGET_WORDS):
            self.scalars.add(k)
            if "input" in word:
                return self._free("l", "0"), "the input, a scalar"
            return self._free("y", ""), "the target, a scalar"
        why = "the number of rows of " + k.split(".shape")[0] if ".shape[" in k else "a scalar"
        return self._greek(word), why

    def _depth(self, f: Facts) -> str:
        subs = [int(s) for s in (self._sub_of(o) for o in f.operands)
                if s is not None and s.isdigit()]
        deepest = max(subs, default=0)
        weighted = f.multiplies or any(
            self.by_key.get(o) is not None and self.by_key[o].letter == "W" for o in f.operands)
        return str(deepest + 1 if weighted else deepest)

    def _sub_of(self, k: str | None) -> str | None:
        name = self.by_key.get(k) if k else None
        if name is None or name.letter not in ("l", "δ", "z", "a", "h") or not name.sub:
            return None
        return name.sub

    def _free(self, letter: str, sub: str | None) -> Name:
        if sub is not None and Name(letter, sub) not in self.taken:
            return Name(letter, sub)
        if sub is None and Name(letter, "") not in self.taken and letter not in ("l", "W", "M", "G"):
            return Name(letter, "")
        start = int(sub) if sub is not None and sub.isdigit() else 0
        for i in range(start, start + 10_000):
            name = Name(letter, str(i))
            if name not in self.taken:
                return name
        raise NotationTranslationError("too many names to choose from")   # pragma: no cover

    def _greek(self, word: str) -> Name:
        first = GREEK_BY_INITIAL.get(word[:1].lower())
        for letter in ([first] if first else []) + list(GREEK_SPARE):
            if Name(letter) not in self.taken:
                return Name(letter)
        return self._free("ω", "1")


def _word(k: str) -> str:
    tail = k.replace("['", ".").replace("']", "").replace("[", ".").replace("]", "").split(".")
    words = [t for t in tail if t and not t.isdigit() and t not in ("self", "shape")]
    return (words[-1] if words else k).lower()


def _number(k: str) -> str | None:
    """The first number written in an identifier (``l2_delta`` -> "2"), if any."""
    import re
    m = re.search(r"[0-9]+", k)
    return str(int(m.group())) if m and len(m.group()) < 10 else None


def _latin(word: str) -> str:
    first = next((c for c in word if c.isascii() and c.isalpha()), "v")
    return first.lower() if first.lower() not in ("l",) else "v"


class _Restoring(Scheme):
    """A scheme that writes names back as the identifiers they were read from."""

    def __init__(self, base: Scheme, identifiers: dict[Name, str]):
        super().__init__(base.label, base.rules, base.joiner)
        self.identifiers = identifiers

    def _python(self, name: Name) -> str:
        return self.identifiers.get(name) or super()._python(name)


def greek_word(letter: str) -> str:
    return next(w for w, u in UNICODE_BY_ENGLISH.items() if u == letter)
