"""A frame classifier trained on the user's own labelled examples, offline (TF-IDF + linear SVM)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from numbers import Integral, Real
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from mediakit._errors import InvalidParameterError, NotFittedError
from mediakit._params import (
    Column,
    Constraint,
    Frame,
    Interval,
    Options,
    _as_constraint,
    check_param,
    nearest,
    validate_params,
)
from mediakit._validation import ALL_KINDS, require_columns, resolve_kinds
from mediakit.measures._textcheck import KINDS_RULES, refuse_articles
from mediakit.measures.lexicons import Lexicon

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

_RESERVED = {"terms", "predicted"}


def _texts(texts: object, param: str = "texts") -> list[str]:
    if isinstance(texts, (str, bytes)) or isinstance(texts, pd.DataFrame):
        raise TypeError(f"{param} must be a list or Series of strings, got "
                        f"{type(texts).__name__}; pass e.g. data['text'].")
    out = list(texts)
    for i, value in enumerate(out):
        if not isinstance(value, str):
            raise ValueError(f"{param}[{i}] is {value!r}, not a string; drop or fill missing "
                             "texts first.")
    return out


def _slug(label: object) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(label).lower()).strip("_")


class _NgramRange(Constraint):
    """An ``(min_n, max_n)`` pair of integers with ``1 <= min_n <= max_n``."""

    def is_satisfied_by(self, value: object) -> bool:
        return (isinstance(value, (tuple, list)) and len(value) == 2
                and all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
                and 1 <= value[0] <= value[1])

    def describe(self) -> str:
        return "a (min_n, max_n) pair of integers with 1 <= min_n <= max_n"


class FrameClassifier(ClassifierMixin, BaseEstimator):
    """Learn frames from your own labelled examples: TF-IDF features and a linear SVM.

    For users who have coded some texts with their own frames (the OpenFraming use case)
    and want the rest coded the same way, without uploading anything anywhere. Features are
    word 1-2-grams and character 1-5-grams within word boundaries (TF-IDF, sublinear term
    frequency), optionally with a lexicon's category counts; the model is a linear support
    vector machine with balanced class weights. Probabilities come from sigmoid calibration
    (Platt scaling) over internal 3-fold cross-validation.

    Parameters
    ----------
    C : float, default 0.3
        Inverse regularisation strength of the SVM (smaller = smoother).
    class_weight : "balanced" or None, default "balanced"
        Weight classes inversely to their frequency, so rare frames are not ignored.
    word_ngrams, char_ngrams : tuple of int, default (1, 2) and (1, 5)
        N-gram ranges; ``char_ngrams=None`` leaves character n-grams out.
    lexicon : str, dict or Lexicon, optional
        Add the category counts of a lexicon (anything :func:`mediakit.load_lexicon` accepts,
        e.g. ``"gvfc_frames"``) as features, log(1 + count) times ``lexicon_weight``.
    lexicon_weight : float, default 0.3
    embedder : callable, optional
        Your own sentence embedding, ``embedder(list_of_texts) -> array (n_texts, dim)``,
        appended to the features times ``embedder_weight`` (e.g. a sentence-transformers model's
        ``encode``). mediakit ships and downloads no model; this is where you plug one in.
    embedder_weight : float, default 1.0
    random_state : int, default 0
        Seed of the linear SVM's coordinate descent (which visits the texts in a random
        order) and of :meth:`cross_validate`'s folds: the same texts and labels give the same
        weights in every run (the calibration's three folds are not shuffled).

    Attributes
    ----------
    classes_ : ndarray
        The labels, sorted.
    columns_ : dict
        Label -> the ``frame_<label>`` column name used by :meth:`score_frames`.
    vectorizers_ : list
        The fitted TF-IDF vectorizers (word, then character).
    model_ : sklearn.svm.LinearSVC
        The SVM on all training data (used by :meth:`predict`).
    calibrated_ : sklearn.calibration.CalibratedClassifierCV
        Calibrated SVMs (used by :meth:`predict_proba`).

    Notes
    -----
    A scikit-learn estimator (``BaseEstimator``, ``ClassifierMixin``): ``get_params``,
    ``set_params``, ``sklearn.base.clone``, pipelines and grid search work, and the options are
    checked at :meth:`fit` against ``_parameter_constraints`` (an
    :class:`~mediakit.InvalidParameterError` naming the option). :meth:`predict` uses the SVM's decision and :meth:`predict_proba` the calibrated
    probabilities, so in rare borderline cases the most probable label differs from the
    predicted one (as with scikit-learn's ``SVC(probability=True)``).

    References
    ----------
    Liu, S., Guo, L., Mays, K., Betke, M., & Wijaya, D. T. (2019). Detecting frames in news
    headlines and its application to analyzing news framing trends surrounding U.S. gun
    violence. CoNLL 2019, 504-514.

    Examples
    --------
    >>> import mediakit as mk
    >>> texts = ["Senate vote on gun bill fails", "Gun maker files for bankruptcy",
    ...          "House Democrats push gun vote", "Gun stocks fall as sales slow",
    ...          "Governor wins vote on gun law", "Retailer sales of rifles drop"]
    >>> labels = ["politics", "economic"] * 3
    >>> clf = mk.FrameClassifier().fit(texts, labels)
    >>> clf.predict(["Stock of gun maker falls", "Senate to vote again"]).tolist()
    ['economic', 'politics']
    >>> clf.predict_proba(["Stock of gun maker falls"]).shape  # one column per label
    (1, 2)
    """

    def __init__(self, *, C: float = 0.3, class_weight: str | None = "balanced",
                 word_ngrams: tuple[int, int] = (1, 2),
                 char_ngrams: tuple[int, int] | None = (1, 5), lexicon=None,
                 lexicon_weight: float = 0.3, embedder=None, embedder_weight: float = 1.0,
                 random_state: int = 0):
        self.C = C
        self.class_weight = class_weight
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.lexicon = lexicon
        self.lexicon_weight = lexicon_weight
        self.embedder = embedder
        self.embedder_weight = embedder_weight
        self.random_state = random_state

    #: The constructor's options, checked at :meth:`fit` (scikit-learn's convention: the
    #: constructor only stores them, so ``clone`` and ``set_params`` work unchanged).
    _parameter_constraints: dict = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [Options("balanced"), dict, None],
        "word_ngrams": [_NgramRange()],
        "char_ngrams": [_NgramRange(), None],
        "lexicon": [str, os.PathLike, Mapping, Lexicon, None],
        "lexicon_weight": [Interval(Real, 0, None)],
        "embedder": ["callable", None],
        "embedder_weight": [Interval(Real, 0, None)],
        "random_state": [Interval(Integral, 0, None), None],
    }

    def _validate_params(self) -> None:
        """Check every constructor parameter against ``_parameter_constraints``."""
        for name, value in self.get_params(deep=False).items():
            check_param("FrameClassifier", name, value, type(self).__mediakit_params__[name])

    def set_params(self, **params) -> FrameClassifier:
        """Set constructor parameters (scikit-learn convention); returns self."""
        for name in params:
            if name not in self._parameter_constraints:
                raise InvalidParameterError(
                    f"FrameClassifier.set_params() got an unexpected keyword argument {name!r}; "
                    "the parameters are "
                    f"{', '.join(self._parameter_constraints)}."
                    + nearest(name, self._parameter_constraints), param=name)
        return super().set_params(**params)

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:  # noqa: N803 - BaseEstimator's signature
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params(deep=False).items())
        return f"FrameClassifier({args})"

    # -- learning ---------------------------------------------------------------------------

    def _features(self, texts: list[str], fit: bool):
        import scipy.sparse as sp
        from sklearn.feature_extraction.text import TfidfVectorizer

        if fit:
            vecs = [TfidfVectorizer(ngram_range=tuple(self.word_ngrams), sublinear_tf=True)]
            if self.char_ngrams is not None:
                vecs.append(TfidfVectorizer(analyzer="char_wb", sublinear_tf=True,
                                            ngram_range=tuple(self.char_ngrams)))
            self.vectorizers_ = vecs
            blocks = [v.fit_transform(texts) for v in vecs]
        else:
            blocks = [v.transform(texts) for v in self.vectorizers_]
        if self.lexicon is not None:
            from mediakit.measures.lexicons import load_lexicon

            matcher = load_lexicon(self.lexicon).matcher()
            counts = np.zeros((len(texts), len(matcher.categories)))
            for i, text in enumerate(texts):
                for hit in matcher.find(text):
                    counts[i, hit.category] += 1
            blocks.append(sp.csr_matrix(np.log1p(counts) * float(self.lexicon_weight)))
        if self.embedder is not None:
            vectors = np.asarray(self.embedder(list(texts)), dtype=float)
            if vectors.ndim != 2 or vectors.shape[0] != len(texts):
                raise ValueError(f"embedder returned shape {vectors.shape}; expected "
                                 f"({len(texts)}, dim).")
            if fit:
                self.embedding_dim_ = vectors.shape[1]
            elif vectors.shape[1] != self.embedding_dim_:
                raise ValueError(f"embedder returned {vectors.shape[1]} dimensions, but "
                                 f"{self.embedding_dim_} at fit time.")
            blocks.append(sp.csr_matrix(vectors * float(self.embedder_weight)))
        return sp.hstack(blocks, format="csr")

    def fit(self, texts: Iterable[str], labels: Iterable[object]) -> FrameClassifier:
        """Learn from ``texts`` and their ``labels`` (one label per text); returns self.

        Raises
        ------
        ValueError
            Lengths differ, fewer than two labels, a label with fewer than 3 examples (the
            calibration needs 3 folds), or a missing text.
        """
        return self._fit(texts, labels, calibrate=True)

    def _fit(self, texts, labels, *, calibrate: bool) -> FrameClassifier:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        self._validate_params()
        texts = _texts(texts)
        y = np.asarray(list(labels), dtype=object)
        if len(y) != len(texts):
            raise ValueError(f"texts has {len(texts)} items but labels has {len(y)}.")
        if pd.isna(y).any():
            raise ValueError("labels has missing values; drop those texts before fit().")
        classes, counts = np.unique(y.astype(str), return_counts=True)
        if len(classes) < 2:
            raise ValueError("fit() needs at least two different labels.")
        if counts.min() < 3:
            rare = ", ".join(repr(str(c)) for c, n in zip(classes, counts, strict=True) if n < 3)
            raise ValueError(f"every label needs at least 3 examples; too few for {rare}.")
        columns = {}
        for label in classes:
            slug = _slug(label)
            if not slug or slug in _RESERVED or f"frame_{slug}" in columns.values():
                raise ValueError(f"label {label!r} does not make a distinct column name "
                                 f"(frame_{slug}); rename it.")
            columns[label] = f"frame_{slug}"
        y = y.astype(str)
        X = self._features(texts, fit=True)
        svm = dict(C=float(self.C), class_weight=self.class_weight,
                   random_state=self.random_state)
        self.model_ = LinearSVC(**svm).fit(X, y)
        if calibrate:  # cross_validate only predicts: it skips the 3 extra fits
            self.calibrated_ = CalibratedClassifierCV(LinearSVC(**svm), method="sigmoid", cv=3)
            self.calibrated_.fit(X, y)
        self.classes_ = self.model_.classes_
        self.columns_ = columns
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError("This FrameClassifier is not fitted yet; call fit(texts, "
                                 "labels) first.")

    def predict(self, texts: Iterable[str]) -> np.ndarray:
        """The predicted label of each text."""
        self._check_fitted()
        return self.model_.predict(self._features(_texts(texts), fit=False))

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Calibrated probabilities, one column per label in ``classes_`` order (rows sum to 1)."""
        self._check_fitted()
        return self.calibrated_.predict_proba(self._features(_texts(texts), fit=False))

    @validate_params(n=[Interval(Integral, 1, None)])
    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """The features that weigh most for each label: ``label, rank, feature, weight``.

        Features are prefixed ``word:``, ``char:`` (character n-grams, spaces shown as ``_``),
        ``lexicon:`` or ``embedding:`` (dimension number); a high weight pushes a text towards the label.
        Equal weights are ranked by feature name.
        """
        self._check_fitted()
        names = []
        for prefix, vec in zip(("word:", "char:"), self.vectorizers_, strict=False):
            names += [prefix + f.replace(" ", "_") if prefix == "char:" else prefix + f
                      for f in vec.get_feature_names_out()]
        if self.lexicon is not None:
            from mediakit.measures.lexicons import load_lexicon

            names += [f"lexicon:{c}" for c in load_lexicon(self.lexicon).categories]
        if self.embedder is not None:
            names += [f"embedding:{i}" for i in range(self.embedding_dim_)]
        names = np.asarray(names, dtype=object)
        coef = self.model_.coef_
        if coef.shape[0] == 1:  # binary: one row, positive = second class
            coef = np.vstack([-coef[0], coef[0]])
        rows = []
        for label, weights in zip(self.classes_, coef, strict=True):
            # equal weights (features that always occur together, e.g. "peace" and "for
            # peace") in the order of their names: an unstable sort's order of ties changes
            # with numpy's version; weights are compared to 12 decimals (the solver's noise)
            order = np.lexsort((names, -np.round(weights, 12)))
            for rank, j in enumerate(order[:n], start=1):
                rows.append((label, rank, names[j], float(weights[j])))
        return pd.DataFrame(rows, columns=["label", "rank", "feature", "weight"])

    # -- evaluation -------------------------------------------------------------------------

    @validate_params(cv=[Interval(Integral, 2, None)])
    def cross_validate(self, texts: Sequence[str], labels: Sequence[object], *,
                       cv: int = 5) -> pd.DataFrame:
        """Stratified k-fold estimate of accuracy and macro-F1, beside the majority baseline.

        A fresh classifier with the same parameters is fitted on each training split; this one
        is left untouched.

        Returns
        -------
        pandas.DataFrame
            One row per fold (``fold`` 1..cv) and a last row ``fold="mean"``, with ``n_train``,
            ``n_test``, ``accuracy``, ``macro_f1`` (unweighted mean of per-label F1, 0 to 1,
            higher = better), and ``baseline_accuracy`` / ``baseline_macro_f1`` of always
            predicting the training split's most frequent label.
        """
        from sklearn.metrics import accuracy_score, f1_score
        from sklearn.model_selection import StratifiedKFold

        texts = np.asarray(_texts(texts), dtype=object)
        y = np.asarray(list(labels), dtype=object).astype(str)
        if len(y) != len(texts):
            raise ValueError(f"texts has {len(texts)} items but labels has {len(y)}.")
        folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=self.random_state)
        rows = []
        for k, (train, test) in enumerate(folds.split(texts, y), start=1):
            model = type(self)(**self.get_params())._fit(texts[train], y[train], calibrate=False)
            pred = model.predict(texts[test])
            values, counts = np.unique(y[train], return_counts=True)
            base = np.full(len(test), values[np.argmax(counts)], dtype=object)
            rows.append({
                "fold": str(k), "n_train": len(train), "n_test": len(test),
                "accuracy": accuracy_score(y[test], pred),
                "macro_f1": f1_score(y[test], pred, average="macro", zero_division=0),
                "baseline_accuracy": accuracy_score(y[test], base),
                "baseline_macro_f1": f1_score(y[test], base, average="macro", zero_division=0),
            })
        table = pd.DataFrame(rows)
        mean = {"fold": "mean", **table.drop(columns="fold").mean().to_dict()}
        return pd.concat([table.astype({"n_train": float, "n_test": float}),
                          pd.DataFrame([mean])], ignore_index=True)

    # -- frames -----------------------------------------------------------------------------

    @validate_params(data=[Frame()], text=[Column()], kinds=KINDS_RULES,
                     output=[Options("proba", "label")])
    def score_frames(self, data: pd.DataFrame, *, text: str = "text",
                     kinds: str | Iterable[str] | None = None,
                     output: str = "proba") -> pd.DataFrame:
        """Add ``frame_<label>`` columns for each learned label, keeping every row.

        Parameters
        ----------
        data : pandas.DataFrame
            Any frame with a ``text`` column (and ``kind`` unless ``kinds="all"``).
        output : {"proba", "label"}
            ``"proba"``: calibrated probability of each label (0 to 1); ``"label"``: 1 for the
            predicted label, 0 otherwise. Either way ``frame_predicted`` holds the label.
        kinds : see :func:`mediakit.score_frames`; rows of other kinds get NaN (not scored).
        """
        self._check_fitted()
        sentences = data
        refuse_articles(sentences, "score_frames", "sentences")
        kinds_t = resolve_kinds(kinds)
        every_kind = set(kinds_t) >= set(ALL_KINDS)
        require_columns(sentences, [text] if every_kind else [text, "kind"], what="sentences")
        clash = [c for c in (*self.columns_.values(), "frame_predicted")
                 if c in sentences.columns]
        if clash:
            raise ValueError(f"sentences already has column(s) {clash}; drop them first.")
        values = sentences[text]
        selected = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if not every_kind:
            selected = selected & sentences["kind"].isin(kinds_t).to_numpy()
        rows = np.flatnonzero(selected)
        scores = np.full((len(sentences), len(self.classes_)), np.nan)
        predicted = np.full(len(sentences), None, dtype=object)
        if len(rows):
            chosen = values.to_numpy(dtype=object)[rows].tolist()
            if output == "proba":
                scores[rows] = self.predict_proba(chosen)
            labels = self.predict(chosen)
            if output == "label":
                scores[rows] = (labels[:, None] == self.classes_[None, :]).astype(float)
            predicted[rows] = labels
        out = sentences.copy()
        for j, label in enumerate(self.classes_):
            out[self.columns_[label]] = scores[:, j]
        out["frame_predicted"] = pd.Series(predicted, index=sentences.index, dtype="str")
        return out


FrameClassifier.__mediakit_params__ = {
    name: tuple(_as_constraint(rule) for rule in rules)
    for name, rules in FrameClassifier._parameter_constraints.items()
}
