#!/usr/bin/env bash
# Leave one language out: for each language with a labelled toxicity set of its own, train warden-fast without that set
# and score the set's test split. The rest of the recipe stays (the language's lexicon entries, contrast templates,
# everyday messages and web sentences), so this measures what the scorer does in a language it has no labelled data
# for: the situation of every language outside ../shared. Validation and calibration stay whole; AUROC ranks within
# the one language, so its own calibration does not enter it.
#
#   bench/leave-one-language-out/run.sh [warden binary] [seed] [extra `warden train fast` options...]
#
# Writes a Markdown table to stdout; models and logs go to $LOLO_DIR (default: a temporary folder).
set -euo pipefail
WARDEN=${1:-warden}; SEED=${2:-42}; shift $(( $# > 2 ? 2 : $# ))
DIR=${LOLO_DIR:-$(mktemp -d)}
SETS=(germeval2018 offenseval2020_turkish told_br korean_hate_speech poleval2019_cyberbullying cold_chinese_offensive)
echo "| left out | language | test AUROC | test macro-F1 |"
echo "| --- | --- | ---: | ---: |"
for d in "${SETS[@]}"; do
  "$WARDEN" train fast --no-card --seed "$SEED" -o "$DIR/$d.bin" --exclude-datasets "$d" "$@" > "$DIR/$d.train.log" 2>&1
  "$WARDEN" eval classifier -m "$DIR/$d.bin" -d "$d" --bootstrap 0 --format json > "$DIR/$d.eval.json" 2>/dev/null
  python3 - "$DIR/$d.eval.json" "$d" <<'PY'
import json, sys
report = json.load(open(sys.argv[1])); m = report["overall"]["metrics"]
languages = {"germeval2018": "de", "offenseval2020_turkish": "tr", "told_br": "pt", "korean_hate_speech": "ko",
             "poleval2019_cyberbullying": "pl", "cold_chinese_offensive": "zh"}
print(f"| {sys.argv[2]} | {languages.get(sys.argv[2], '?')} | {m['auroc']['value']:.3f} | {m['macro_f1']['value']:.3f} |")
PY
done
