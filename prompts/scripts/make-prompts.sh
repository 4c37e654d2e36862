#!/usr/bin/env bash
# Generates the default IVR prompts shipped in prompts/<lang>/ as 8 kHz mono mu-law WAV, the
# format the media player streams without resampling. Needs espeak-ng and sox:
#   apt-get install -y --no-install-recommends espeak-ng sox libsox-fmt-all
# -D (no dither) keeps the output byte-identical across runs; -G guards against clipping.
# Re-run after editing the texts below; the WAVs ship with the product so installs need neither tool.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)"

# say LANG VOICE NAME TEXT: synthesize TEXT, trim leading/trailing silence, convert to 8 kHz mu-law.
say() {
  local lang=$1 voice=$2 name=$3 text=$4
  mkdir -p "$out/$lang"
  espeak-ng -v "$voice" -s 150 --stdout "$text" |
    sox -q -G -D -t wav - -r 8000 -c 1 -e mu-law -b 8 "$out/$lang/$name.wav" \
      silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse pad 0.05 0.1
}

declare -A en=(
  [welcome]='Welcome. Thank you for calling.'
  [menu]='For billing, press 1. For outages, press 2.'
  [invalid]='Sorry, that is not a valid choice.'
  [timeout]='Sorry, we did not receive your choice.'
  [queue-hold]='All our agents are busy. Please hold, and your call will be answered shortly.'
  [please-wait]='Please wait.'
  [goodbye]='Thank you for calling. Goodbye.'
)
declare -A zh=(
  [welcome]='您好，欢迎致电。'
  [menu]='账单查询请按1，故障报修请按2。'
  [invalid]='对不起，您的输入无效。'
  [timeout]='对不起，我们没有收到您的选择。'
  [queue-hold]='所有座席都在忙，请稍候，我们将尽快为您接通。'
  [please-wait]='请稍候。'
  [goodbye]='感谢您的来电，再见。'
)
en_digits=(zero one two three four five six seven eight nine)
zh_digits=(零 一 二 三 四 五 六 七 八 九)

for name in "${!en[@]}"; do say en en-us "$name" "${en[$name]}"; done
for name in "${!zh[@]}"; do say zh cmn "$name" "${zh[$name]}"; done
for d in 0 1 2 3 4 5 6 7 8 9; do
  say en en-us "digit-$d" "${en_digits[$d]}"
  say zh cmn "digit-$d" "${zh_digits[$d]}"
done

# The voicemail beep is language-neutral but shipped in each folder so a language is self-contained.
for lang in en zh; do
  sox -q -n -r 8000 -c 1 -e mu-law -b 8 "$out/$lang/voicemail-beep.wav" synth 0.3 sine 1000 vol 0.5
done

du -sh "$out"
