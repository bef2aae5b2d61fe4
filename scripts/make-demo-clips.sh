#!/usr/bin/env bash
# Make the demo wall's clips: moving test pictures with a burnt-in name and a running clock,
# H.264 main 1280x720 and sub 640x360 at 25 fps, a key frame every second (quick to join).
# Usage: scripts/make-demo-clips.sh DIR [COUNT]
set -euo pipefail
dir=${1:?directory}
count=${2:-6}
mkdir -p "$dir"
font=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
for k in $(seq 1 "$count"); do
  hue=$(((k - 1) * 60))
  for kind in main sub; do
    out="$dir/clip$(printf %02d "$k")-$kind.mp4"
    [ -s "$out" ] && continue
    if [ "$kind" = main ]; then size=1280x720; fs=40; else size=640x360; fs=20; fi
    input="testsrc2=size=$size:rate=25"
    text="演示摄像头 $k"
    drawtext="drawtext=fontfile=$font:text='$text':x=20:y=20:fontsize=$fs:fontcolor=white:box=1:boxcolor=black@0.5"
    clock="drawtext=fontfile=$font:text='%{pts\\:hms}':x=w-tw-20:y=h-th-20:fontsize=$fs:fontcolor=yellow:box=1:boxcolor=black@0.5"
    ffmpeg -loglevel error -y -f lavfi -i "$input" -t 12 -vf "hue=h=$hue,format=yuv420p,$drawtext,$clock" \
      -c:v libx264 -preset veryfast -tune zerolatency -g 25 -bf 0 -pix_fmt yuv420p "$out.tmp.mp4"
    mv "$out.tmp.mp4" "$out"
  done
done
