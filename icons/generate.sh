#!/usr/bin/env bash
# Draws Qoltanba's icon (a white pen nib and signature stroke on a teal rounded square) with
# ImageMagick and writes the sizes tauri.conf.json lists. The PNG/ICO files are committed; run this
# again only to change the drawing:  bash icons/generate.sh   (needs Debian's imagemagick)
set -euo pipefail
cd "$(dirname "$0")"
draw() { # size out
  local s=$1 out=$2
  convert -size 512x512 xc:none \
    -fill '#0f766e' -draw 'roundrectangle 16,16 495,495 96,96' \
    -stroke white -strokewidth 30 -fill none -draw 'path "M 96,380 C 150,300 190,300 210,360 S 270,420 300,340 S 360,300 416,372"' \
    -stroke none -fill white -draw 'polygon 300,96 396,192 276,312 200,316 204,240' \
    -fill '#0f766e' -draw 'circle 262,254 262,274' \
    -resize "${s}x${s}" -define png:color-type=6 "PNG32:$out"
}
draw 32 32x32.png
draw 128 128x128.png
draw 256 128x128@2x.png
draw 512 icon.png
convert icon.png -define icon:auto-resize=256,128,64,48,32,16 icon.ico
