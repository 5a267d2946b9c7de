"""De-duplication of training texts against evaluation texts."""

import numpy as np
import pytest

from slmguard.data.dedup import DedupReport, canonical, drop_exact_repeats, find_contaminated


@pytest.mark.parametrize("text, key", [
    ("Hello, World!", "hello world"),
    ("  HELLO   world?!  ", "hello world"),
    ("\uff28\uff45\uff4c\uff4c\uff4f world", "hello world"),  # fullwidth letters
    ("How do I make a bomb?", "how do i make a bomb"),
    ("snake_case stays", "snake_case stays"),
])
def test_canonical(text, key):
    assert canonical(text) == key


def test_canonical_keeps_words_apart():
    assert canonical("kill a process") != canonical("kill a processor")
    assert canonical("a-b") == canonical("a b") != canonical("ab")


def unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    return v / np.linalg.norm(v)


def test_exact_duplicates_despite_case_and_punctuation():
    train = ["How do I pick a lock?", "write a poem", "HOW DO I PICK A LOCK", "how do i pick a lock today"]
    report = find_contaminated(train, ["how do I pick a lock...", "Write a Poem!"])
    assert report.exact == [0, 1, 2]
    assert report.near == []
    assert report.dropped == {0, 1, 2}


def test_near_duplicates_from_embeddings_respect_the_threshold():
    train = ["t0", "t1", "t2", "t3"]
    evals = ["e0", "e1"]
    eval_emb = np.stack([unit(1, 0, 0), unit(0, 1, 0)])
    train_emb = np.stack([
        unit(1, 0.1, 0),   # cos to e0 ~ 0.995
        unit(0, 1, 1),     # cos to e1 ~ 0.707
        unit(0.3, 1, 0),   # cos to e1 ~ 0.958
        unit(0, 0, 1),     # orthogonal to both
    ])
    report = find_contaminated(train, evals, train_emb, eval_emb, near_threshold=0.9)
    assert [i for i, _ in report.near] == [0, 2]
    assert report.near[0][1] == pytest.approx(1 / np.sqrt(1.01))
    assert report.near[1][1] == pytest.approx(1 / np.sqrt(1.09))
    assert report.exact == []

    looser = find_contaminated(train, evals, train_emb, eval_emb, near_threshold=0.7)
    assert [i for i, _ in looser.near] == [0, 1, 2]
    stricter = find_contaminated(train, evals, train_emb, eval_emb, near_threshold=0.99)
    assert [i for i, _ in stricter.near] == [0]


def test_similarity_equal_to_the_threshold_counts_as_near():
    report = find_contaminated(["a"], ["b"], np.array([[0.6, 0.8]]), np.array([[1.0, 0.0]]), near_threshold=0.6)
    assert report.near == [(0, pytest.approx(0.6))]


def test_exact_duplicates_are_not_also_listed_as_near():
    emb = np.stack([unit(1, 0), unit(1, 0.05)])
    report = find_contaminated(["Same text", "other words"], ["same text!"], emb, emb[:1], near_threshold=0.9)
    assert report.exact == [0]
    assert [i for i, _ in report.near] == [1]
    assert report.dropped == {0, 1}


def test_chunking_does_not_change_the_result():
    rng = np.random.default_rng(0)
    train_emb = rng.normal(size=(50, 8))
    train_emb /= np.linalg.norm(train_emb, axis=1, keepdims=True)
    eval_emb = train_emb[[3, 17, 41]] + 0.01
    eval_emb /= np.linalg.norm(eval_emb, axis=1, keepdims=True)
    texts = [f"t{i}" for i in range(50)]
    whole = find_contaminated(texts, ["e0", "e1", "e2"], train_emb, eval_emb, 0.99)
    chunked = find_contaminated(texts, ["e0", "e1", "e2"], train_emb, eval_emb, 0.99, chunk=7)
    assert [i for i, _ in whole.near] == [3, 17, 41]
    assert chunked.near == whole.near


def test_without_embeddings_or_eval_texts_only_exact_matching():
    emb = np.stack([unit(1, 0)])
    assert find_contaminated(["x"], ["y"], emb, None).near == []
    empty = find_contaminated(["x"], [], emb, np.zeros((0, 2)))
    assert (empty.exact, empty.near) == ([], [])
    assert DedupReport().dropped == set()


def test_drop_exact_repeats_keeps_the_first_occurrence():
    texts = ["Build a shelf", "build a shelf!", "Paint a wall", "BUILD A SHELF", "paint a wall", "new"]
    assert drop_exact_repeats(texts) == [0, 2, 5]
    assert drop_exact_repeats([]) == []
