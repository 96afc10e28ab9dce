from app.core.passphrase import estimate


def test_short_is_unusable() -> None:
    assert estimate("abc").score == 0


def test_runs_and_repeats_are_weak() -> None:
    assert estimate("aaaaaaaaaa").score <= 1
    assert estimate("12345678").score <= 1
    assert estimate("qwertyuiop").score <= 1


def test_several_words_are_strong_and_order_is_monotone() -> None:
    weak = estimate("Password1")
    fair = estimate("river-lamp-7")
    strong = estimate("orange tractor whispers beside the quiet harbour")
    assert weak.score < strong.score
    assert weak.bits < fair.bits < strong.bits
    assert strong.score == 4


def test_non_latin_counts() -> None:
    assert estimate("მთის გზა ღია იქნება ზაფხულში").score >= 3
