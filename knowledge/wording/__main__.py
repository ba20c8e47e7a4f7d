"""`python -m knowledge.wording KEY`: one entry of messages.yml in every language, as JSON (the
widget's build writes its words with it, so they have one source with everything else said)."""
import json
import sys

from knowledge.wording import LANGUAGES, words


def main(argv=None) -> None:
    (key,) = argv if argv is not None else sys.argv[1:]
    print(json.dumps({lang: words(key, lang) for lang in LANGUAGES}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
