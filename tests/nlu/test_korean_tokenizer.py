"""Korean words survive tokenization and become features (Rasa's WhitespaceTokenizer drops them)."""
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.korean_tokenizer import KiwiTokenizer, morpheme_tokens

QUESTION = "K-City Network 사업 신청 마감일이 언제인가요?"


def test_whitespace_tokenizer_really_drops_hangul():
    # The trap this component exists for: Rasa's own tokenizer keeps only the Latin words.
    tokens = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).tokenize(Message(data={"text": QUESTION}), "text")
    assert [t.text for t in tokens] == ["K-City", "Network"]


def test_kiwi_tokenizer_keeps_korean_morphemes_with_their_offsets():
    tokens = KiwiTokenizer(KiwiTokenizer.get_default_config()).tokenize(Message(data={"text": QUESTION}), "text")
    texts = [t.text for t in tokens]
    assert {"사업", "신청", "마감일", "언제", "Network"} <= set(texts)
    for t in tokens:
        assert QUESTION[t.start:t.end] == t.text
    assert all(a.end <= b.start for a, b in zip(tokens, tokens[1:])), "spans must not overlap"


def test_contractions_are_merged_into_one_token():
    # "했" is 하 + 었 at the same offset; "누가" is 누구 + 가.
    tokens = morpheme_tokens("작년에 몇 건 했어? 누가 신청해?")
    texts = [t.text for t in tokens]
    assert "했" in texts and texts.count("했") == 1
    assert next(t for t in tokens if t.text == "했").lemma == "하었"


def test_emoji_or_symbols_only_still_give_one_token():
    assert [t.text for t in morpheme_tokens(" 👍👍 ")] == ["👍", "👍"] or [t.text for t in morpheme_tokens(" 👍👍 ")] == ["👍👍"]
    assert [t.text for t in morpheme_tokens("?!")] == ["?!"]
    assert morpheme_tokens("   ") == []


def test_korean_morphemes_become_count_vector_features(tmp_path):
    tokenizer = KiwiTokenizer(KiwiTokenizer.get_default_config())
    training = TrainingData([Message(data={"text": t, "intent": i}) for t, i in [
        ("해외실증형 마감일이 언제인가요?", "ask_deadline"),
        ("계획수립형 지원 금액은 얼마예요?", "ask_amount"),
    ]])
    tokenizer.process_training_data(training)
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), LocalModelStorage(tmp_path), Resource("cvf"),
        ExecutionContext(GraphSchema({}), "test"))
    featurizer.train(training)

    message = Message(data={"text": "마감일 언제야"})
    tokenizer.process([message])
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features("text")
    assert {"마감일", "언제"} <= set(featurizer.vectorizers["text"].vocabulary_)
    assert sequence.features.nnz >= 2, "the Korean words must produce non-zero features"


def test_todays_codes_reach_the_classifier_in_the_shape_it_learnt_codes_in():
    """Its training examples hold codes of the first format (five tokens); today's would be a dozen
    random fragments ("7", "k", "xf", "htw", ...) read as words."""
    from nlu.korean_tokenizer import morpheme_tokens, tokens_of

    def tokens(text):
        return [(t.text, t.lemma, t.start, t.end) for t in tokens_of(text)]

    text = "status of kcn-2024-d-7k3m-q9xf-2htw-5n8j 인가요"
    assert tokens(text)[:7] == [("status", "status", 0, 6), ("of", "of", 7, 9), ("kcn", "kcn", 10, 13),
                                ("2024", "2024", 14, 18), ("d", "d", 19, 20), ("0000", "0000", 21, 39), ("K", "k", 39, 40)]
    assert tokens(text)[7][0] == "인가요" and len(tokens(text)) == 8
    assert [t[0] for t in tokens("KCN2024P7K3MQ9XF2HTW5N8J")] == ["KCN", "2024", "P", "0000", "K"]
    for old in ("status of KCN-2024-D-2402-B", "KCN-2024-D-2402-B 제 제안서 진행 상황"):
        assert tokens(old) == [(t.text, t.lemma, t.start, t.end) for t in morpheme_tokens(old)]  # as trained
