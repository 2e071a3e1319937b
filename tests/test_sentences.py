"""Sentence and quotation spans of German news text."""

from __future__ import annotations

import pytest

from dossier.text.sentences import quote_spans, sentence_at, split_sentences


def sentences(text: str) -> list[str]:
    """The sentences of a text as strings."""
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eins. Zwei! Drei? Vier", ["Eins.", "Zwei!", "Drei?", "Vier"]),
        ("Das gilt z.B. für Kiew. Dann kam Dr. Müller.", ["Das gilt z.B. für Kiew.", "Dann kam Dr. Müller."]),
        ("Es kamen u. a. Minister. Sie blieben.", ["Es kamen u. a. Minister.", "Sie blieben."]),
        ("Das Treffen am 4. Dezember endete. Danach Ruhe.", ["Das Treffen am 4. Dezember endete.", "Danach Ruhe."]),
        ("Die 32. Tagung fand statt. Gut.", ["Die 32. Tagung fand statt.", "Gut."]),
        ("Im Jahr 2024. Dann 2025.", ["Im Jahr 2024.", "Dann 2025."]),
        ("Präsident John F. Kennedy sprach. Alle hörten.", ["Präsident John F. Kennedy sprach.", "Alle hörten."]),
        ("Die US-Regierung und die U.S. Army. Ende.", ["Die US-Regierung und die U.S. Army.", "Ende."]),
        ("„Wir gehen.“ Dann ging er.", ["„Wir gehen.“", "Dann ging er."]),
        ('"Wir gehen." Dann ging er.', ['"Wir gehen."', "Dann ging er."]),
        ("„Wir kommen. Wir bleiben“, sagte sie. Gut.", ["„Wir kommen. Wir bleiben“, sagte sie.", "Gut."]),
        ("„Kommt ihr?“, fragte er. Ja.", ["„Kommt ihr?“, fragte er.", "Ja."]),
        ("Er zögerte … Dann sprach er.", ["Er zögerte …", "Dann sprach er."]),
        ("Er zögerte... und sprach. Ende.", ["Er zögerte... und sprach.", "Ende."]),
        ("Das ist „der Frieden“. So ist es.", ["Das ist „der Frieden“.", "So ist es."]),
        ("(nach einer Waffenruhe, die Red.) geben", ["(nach einer Waffenruhe, die Red.) geben"]),
        ("  Leerzeichen.   Rundherum.  ", ["Leerzeichen.", "Rundherum."]),
        ("", []),
    ],
)
def test_split_sentences(text, expected):
    assert sentences(text) == expected


def test_spans_index_the_original_text():
    text = "Brüssel taz | Rutte sprach. „Es braucht Garantien“, erklärte sie."
    spans = split_sentences(text)
    assert spans == [(0, 27), (28, len(text))]
    assert sentence_at(spans, text.index("Garantien")) == 1
    assert sentence_at(spans, 0) == 0


def test_quote_spans_german_english_straight_and_guillemets():
    text = 'Er sagte „eins“, dann “two”, dann »drei« und "is on fire" - Ende.'
    found = [text[s:e] for s, e in quote_spans(text)]
    assert found == ["„eins“", "“two”", "»drei«", '"is on fire"']


def test_quote_spans_ignore_unclosed_marks_and_inch_signs():
    assert quote_spans("Ein „offenes Zitat ohne Ende.") == []
    assert quote_spans('Ein 24" Bildschirm.') == []


def test_split_sentences_on_a_real_paragraph():
    text = (
        "An dem Treffen nahm auch die neue EU-Außenbeauftragte Kaja Kallas teil. Sie war an ihrem ersten "
        "Arbeitstag am Sonntag nach Kiew gereist und hatte dort europäische Unterstützung bis zum „Sieg“ "
        "versprochen. Von einem militärischen Durchbruch war bei der Nato allerdings keine Rede. „Die Front "
        "bewegt sich nicht ostwärts“, warnte Rutte. „Sie bewegt sich langsam westwärts“ – Ukraine ist in der Defensive."
    )
    found = sentences(text)
    assert len(found) == 5
    assert found[3] == "„Die Front bewegt sich nicht ostwärts“, warnte Rutte."
