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
  [queue-position]='You are caller number'
  [queue-position-end]='in the queue.'
  [queue-wait]='Your expected wait is about'
  [queue-wait-minute]='minute.'
  [queue-wait-minutes]='minutes.'
  [closing]='We are closing now. Please call again later. Goodbye.'
)
declare -A zh=(
  [welcome]='您好，欢迎致电。'
  [menu]='账单查询请按1，故障报修请按2。'
  [invalid]='对不起，您的输入无效。'
  [timeout]='对不起，我们没有收到您的选择。'
  [queue-hold]='所有座席都在忙，请稍候，我们将尽快为您接通。'
  [please-wait]='请稍候。'
  [goodbye]='感谢您的来电，再见。'
  [queue-position]='您是第'
  [queue-position-end]='位来电者。'
  [queue-wait]='预计等待时间约'
  [queue-wait-minute]='分钟。'
  [queue-wait-minutes]='分钟。'
  [closing]='系统即将关闭，请稍后再拨，再见。'
)
en_digits=(zero one two three four five six seven eight nine)
zh_digits=(零 一 二 三 四 五 六 七 八 九)

for name in "${!en[@]}"; do say en en-us "$name" "${en[$name]}"; done
for name in "${!zh[@]}"; do say zh cmn "$name" "${zh[$name]}"; done
for d in 0 1 2 3 4 5 6 7 8 9; do
  say en en-us "digit-$d" "${en_digits[$d]}"
  say zh cmn "digit-$d" "${zh_digits[$d]}"
done

# Say fragments for whole numbers (src/domain/ivr/say-*.ts): enough for positions and minutes.
en_numbers=(zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
  fifteen sixteen seventeen eighteen nineteen)
for n in $(seq 0 19); do say en/say en-us "$n" "${en_numbers[$n]}"; done
declare -A en_tens=([20]=twenty [30]=thirty [40]=forty [50]=fifty [60]=sixty [70]=seventy [80]=eighty [90]=ninety
  [hundred]=hundred [thousand]=thousand [million]=million)
for name in "${!en_tens[@]}"; do say en/say en-us "$name" "${en_tens[$name]}"; done
for d in 0 1 2 3 4 5 6 7 8 9; do say zh/say cmn "$d" "${zh_digits[$d]}"; done
declare -A zh_words=([shi]=十 [bai]=百 [qian]=千 [wan]=万 [yi]=亿 [liang]=两)
for name in "${!zh_words[@]}"; do say zh/say cmn "$name" "${zh_words[$name]}"; done

# The voicemail beep is language-neutral but shipped in each folder so a language is self-contained.
for lang in en zh; do
  sox -q -n -r 8000 -c 1 -e mu-law -b 8 "$out/$lang/voicemail-beep.wav" synth 0.3 sine 1000 vol 0.5
done

du -sh "$out"
