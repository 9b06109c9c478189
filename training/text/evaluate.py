"""Research experiments: fit fresh models within and across data sets; prints markdown.

    .venv/bin/python -m training.text.evaluate across-shipped     # one experiment (minutes)

The shipped model's figures on sources it never saw come from `training.text.prevalence`
(docs/text-classifier.md); this script is for comparing training recipes.

Each experiment fits a fresh model with build_model.fit_model on its training side and scores
its test side through the public API (chaincut.text.classify). telecom_fraud_texts_5 trains
only the research-only "within telecom" and "telecom -> dialogues" models, never a shipped one.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from training.text.build_model import Params, fit_model
from training.text.corpora import Example, load_dialogues, load_telecom, split_by_group
from training.text.metrics import calibration_line, classification_table
from training.text.synthetic import generate

from chaincut.text import TextModel, classify


def report(model: TextModel, examples: list[Example], title: str, types: bool = True) -> str:
    """Binary and end-to-end type tables, and calibration, of `model` on `examples`."""
    verdicts = [classify(e.text, model=model) for e in examples]
    truth = ["fraud" if e.fraud else "not fraud" for e in examples]
    predicted = ["fraud" if v.fraud else "not fraud" for v in verdicts]
    parts = [classification_table(truth, predicted, f"{title}: fraud or not")]
    parts.append(calibration_line([e.fraud for e in examples], [v.score for v in verdicts]) + "\n")
    if types:
        truth = [e.fraud_type or "normal" for e in examples]
        predicted = [v.fraud_type or "normal" for v in verdicts]
        parts.append(
            classification_table(truth, predicted, f"{title}: by type (normal = not fraud)")
        )
    return "\n".join(parts)


def experiments(dialogues: list[Example], synthetic: list[Example]) -> dict[str, Callable[[], str]]:
    d_train, d_test = split_by_group(dialogues)
    s_train, s_test = split_by_group(synthetic)
    transcripts = [e for e in d_test if e.source == "dialogues/transcript"]
    openers = [e for e in d_test if e.source == "dialogues/opener"]
    telecom_test = load_telecom("test")
    telecom_all = load_telecom("all")
    t_train, t_test = split_by_group(
        [Example(e.text, e.fraud, e.fraud_type, e.source, e.text) for e in telecom_all]
    )

    def within_dialogues() -> str:
        model = fit_model(d_train)
        return (
            report(model, transcripts, "dialogues → dialogues (held-out transcripts)")
            + "\n"
            + report(
                model, openers, "dialogues → dialogues (held-out openers, first two caller turns)"
            )
        )

    def within_synthetic() -> str:
        model = fit_model(s_train)
        return report(model, s_test, "synthetic → synthetic (held-out templates)")

    def within_telecom() -> str:
        model = fit_model(t_train)
        return report(
            model, t_test, "telecom_fraud_texts_5 → itself (research-only model, 20 % held out)"
        )

    def across_shipped() -> str:
        model = fit_model(dialogues + synthetic)
        return report(
            model,
            telecom_test,
            "dialogues + synthetic (the shipped recipe) → telecom_fraud_texts_5 test",
        )

    def across_dialogues_only() -> str:
        model = fit_model(dialogues)
        return report(model, telecom_test, "dialogues only → telecom_fraud_texts_5 test")

    def across_synthetic_only() -> str:
        model = fit_model(synthetic)
        return report(model, telecom_test, "synthetic only → telecom_fraud_texts_5 test")

    def across_reverse() -> str:
        model = fit_model(telecom_all)
        return report(
            model,
            transcripts,
            "telecom_fraud_texts_5 → dialogues (held-out transcripts; research-only model)",
            types=False,
        )

    return {
        "within-dialogues": within_dialogues,
        "within-synthetic": within_synthetic,
        "within-telecom": within_telecom,
        "across-shipped": across_shipped,
        "across-dialogues-only": across_dialogues_only,
        "across-synthetic-only": across_synthetic_only,
        "across-reverse": across_reverse,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="experiments to run (default: all)")
    args = parser.parse_args()
    runs = experiments(load_dialogues(), generate(seed=Params().synthetic_seed))
    for name in args.names or list(runs):
        started = time.perf_counter()
        print(
            f"### {name}\n\n{runs[name]()}\n_({time.perf_counter() - started:.0f} s)_\n", flush=True
        )


if __name__ == "__main__":
    main()
