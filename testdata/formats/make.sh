#!/bin/sh
# make.sh: regenerate the labelled real documents of testdata/formats with
# the programs that write them (Debian 12 packages): LibreOffice 7.4
# (libreoffice-writer-nogui, -calc-nogui, -impress-nogui), ImageMagick 6.9
# (/usr/bin/convert), SoX 14.4, FFmpeg 5.1, zip, tar, gzip, xz, bzip2,
# p7zip-full, msoffcrypto-tool 5.0 (python3-msoffcrypto-tool), and node with the
# npm package officecrypto-tool 0.0.19. The expected
# format of each file is its directory's labels.tsv (see testdata/README.md).
# Run from this directory: sh make.sh
set -eu
export HOME="${TMPDIR:-/tmp}/sillage-lo-home"   # LibreOffice profile, out of the tree
SRC=src
OUT=real
mkdir -p "$OUT" hostile
# no preview image in the documents: it would make up most of their size
mkdir -p "$HOME/.config/libreoffice/4/user"
cat > "$HOME/.config/libreoffice/4/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Save/Document"><prop oor:name="GenerateThumbnail" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
XCU
so() { soffice --headless --norestore --convert-to "$1" --outdir "$OUT" "$2" >/dev/null 2>&1; }

# office documents, from the hand-written sources in src/
so odt "$SRC/letter.html"
so 'docx:MS Word 2007 XML' "$SRC/letter.html"
so 'doc:MS Word 97' "$SRC/letter.html"
so 'rtf:Rich Text Format' "$SRC/letter.html"
so 'fodt:OpenDocument Text Flat XML' "$SRC/letter.html"
so 'pdf:writer_pdf_Export' "$OUT/letter.odt"
mkdir -p pdfa && soffice --headless --norestore --convert-to 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}' --outdir pdfa "$OUT/letter.odt" >/dev/null 2>&1
mv pdfa/letter.pdf "$OUT/letter-pdfa2b.pdf" && rmdir pdfa
so ods "$SRC/budget.csv"
so 'xlsx:Calc MS Excel 2007 XML' "$SRC/budget.csv"
so 'xls:MS Excel 97' "$SRC/budget.csv"
so odp "$SRC/slides.fodp"
so 'pptx:Impress MS PowerPoint 2007 XML' "$SRC/slides.fodp"
so 'ppt:MS PowerPoint 97' "$SRC/slides.fodp"
so odg "$OUT/letter.pdf"
# a password-protected .docx (password: sillage). LibreOffice 7.4 saves no
# encrypted OOXML from the command line or UNO, and Debian's msoffcrypto-tool
# 5.0 only decrypts (it is used to check the result): the npm package
# officecrypto-tool 0.0.19 encrypts.
NPMDIR="${TMPDIR:-/tmp}/sillage-officecrypto"
[ -d "$NPMDIR/node_modules/officecrypto-tool" ] || (mkdir -p "$NPMDIR" && cd "$NPMDIR" && npm install --silent officecrypto-tool@0.0.19)
NODE_PATH="$NPMDIR/node_modules" node "$SRC/encrypt.js" "$OUT/letter.docx" "$OUT/letter-encrypted.docx" sillage
msoffcrypto-tool -p sillage "$OUT/letter-encrypted.docx" /dev/null

# images
C=/usr/bin/convert
$C -size 32x24 gradient:navy-gold "$OUT/gradient.png"
$C "$OUT/gradient.png" -quality 80 "$OUT/gradient.jpg"
$C "$OUT/gradient.png" "$OUT/gradient.gif"
$C "$OUT/gradient.png" -compress lzw "$OUT/gradient.tif"
$C "$OUT/gradient.png" "$OUT/gradient.bmp"
$C "$OUT/gradient.png" "$OUT/gradient.webp"
# ImageMagick 6 here writes no SVG: LibreOffice Draw exports the PNG as one
so 'svg:draw_svg_Export' "$OUT/gradient.png"

# audio and video: half a second of a tone
sox -n -r 8000 -c 1 "$OUT/tone.wav" synth 0.5 sine 440
sox "$OUT/tone.wav" "$OUT/tone.ogg"
sox "$OUT/tone.wav" "$OUT/tone.flac"
ffmpeg -loglevel error -y -i "$OUT/tone.wav" -b:a 32k "$OUT/tone.mp3"
ffmpeg -loglevel error -y -i "$OUT/tone.wav" -c:a libopus -b:a 16k "$OUT/tone.opus"
ffmpeg -loglevel error -y -i "$OUT/tone.wav" -c:a aac -b:a 24k "$OUT/tone.m4a"
ffmpeg -loglevel error -y -f lavfi -i color=c=blue:s=32x24:d=0.5 -c:v libx264 -pix_fmt yuv420p "$OUT/clip.mp4"
ffmpeg -loglevel error -y -f lavfi -i color=c=blue:s=32x24:d=0.5 -c:v libvpx -b:v 50k "$OUT/clip.webm"
ffmpeg -loglevel error -y -f lavfi -i color=c=blue:s=32x24:d=0.5 -c:v mpeg4 "$OUT/clip.avi"
ffmpeg -loglevel error -y -f lavfi -i color=c=blue:s=32x24:d=0.5 -c:v mpeg4 "$OUT/clip.mov"

# archives of the sources
rm -f "$OUT/sources.zip" "$OUT/sources.7z"
zip -qj "$OUT/sources.zip" "$SRC/letter.html" "$SRC/budget.csv"
tar -C "$SRC" -cf "$OUT/sources.tar" letter.html budget.csv
gzip -9nc "$OUT/sources.tar" > "$OUT/sources.tar.gz"
xz -9c "$SRC/letter.html" > "$OUT/letter.html.xz"
bzip2 -9c "$SRC/letter.html" > "$OUT/letter.html.bz2"
7z a -bd -bso0 "$OUT/sources.7z" "$SRC/letter.html" "$SRC/budget.csv"

# web and data formats (hand-written sources, copied as they are)
cp "$SRC/letter.html" "$SRC/budget.csv" "$SRC/places.geojson" "$SRC/config.json" "$SRC/notes.txt" "$SRC/catalog.xml" "$OUT/"
iconv -f UTF-8 -t WINDOWS-1252 "$SRC/budget.csv" > "$OUT/budget-cp1252.csv"

# hostile files
head -c 2000 "$OUT/letter.docx" > hostile/truncated.docx
cp "$OUT/letter.pdf" hostile/really-a-pdf.docx
# an OLE2 signature followed by noise: a corrupt compound file
{ printf '\320\317\021\340\241\261\032\341'; head -c 4088 /dev/urandom; } > hostile/garbage.doc
# 20 MB of zeros in one entry: about 20 KB compressed (ratio 1000:1)
head -c 20000000 /dev/zero > hostile/zeros.bin && rm -f hostile/bomb.zip && zip -q9 hostile/bomb.zip hostile/zeros.bin && rm hostile/zeros.bin
# a .docx whose [Content_Types].xml inflates to 20 MB of blanks
mkdir -p bombdoc && head -c 20000000 /dev/zero | tr '\0' ' ' > 'bombdoc/[Content_Types].xml' && rm -f hostile/bomb.docx && (cd bombdoc && zip -q9 ../hostile/bomb.docx '[Content_Types].xml') && rm -r bombdoc
: > hostile/empty.docx
