"""The pictures of docs/inpainting.md, made with the shipped CLI (bin/ij-genai, after `mvn package`) on the bundled
shapes-sd, and the masks with the shipped core (jshell over the packaged jar).

  /usr/bin/python3 tools/inpaint/make_doc_pictures.py docs/images
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "bin", "ij-genai")
MODEL = os.path.join(ROOT, "models", "shapes-sd")
JAR = os.path.join(ROOT, "target", "ij-genai", "plugins", "ij_genai.jar")
out = sys.argv[1]
tmp = tempfile.mkdtemp()


def cli(*args):
    r = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)


def strip(images, labels, scale=3):
    ims = [Image.open(i).convert("RGB") if isinstance(i, str) else i.convert("RGB") for i in images]
    h = max(i.height for i in ims) * scale
    w = sum(i.width * scale for i in ims) + 4 * (len(ims) - 1)
    canvas = Image.new("RGB", (w, h + 16), "white")
    x = 0
    d = ImageDraw.Draw(canvas)
    for im, label in zip(ims, labels):
        canvas.paste(im.resize((im.width * scale, im.height * scale), Image.NEAREST), (x, 0))
        d.text((x + 2, h + 2), label, fill="black")
        x += im.width * scale + 4
    return canvas


picture = os.path.join(tmp, "picture.png")
cli("txt2img", "--model", MODEL, "--prompt", "a red circle on a blue background", "--seed", 0, "--out", picture,
    "--quiet")
mask = os.path.join(tmp, "mask.png")
m = Image.new("L", (64, 64), 0)
ImageDraw.Draw(m).polygon([(6, 8), (40, 4), (46, 30), (30, 44), (10, 36)], fill=255)
m.save(mask)

# The masks as the core computes them (SelectionMasks), written by jshell.
script = os.path.join(tmp, "masks.jsh")
with open(script, "w") as f:
    f.write(f'''
import org.ijgenai.core.diffusion.SelectionMasks;
var img = javax.imageio.ImageIO.read(new java.io.File("{mask}"));
float[] sel = new float[64 * 64];
for (int i = 0; i < sel.length; i++) sel[i] = (img.getRaster().getSample(i % 64, i / 64, 0)) / 255f;
void save(float[] m, String name) throws Exception {{
    var o = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < m.length; i++) o.getRaster().setSample(i % 64, i / 64, 0, Math.round(m[i] * 255));
    javax.imageio.ImageIO.write(o, "png", new java.io.File("{tmp}/" + name + ".png"));
}}
var s = SelectionMasks.of(sel, 64, 64, 4, 10, 8);
save(s.grown(), "grown"); save(s.denoise(), "denoise"); save(s.composite(), "composite");
/exit
''')
subprocess.run(["jshell", "--class-path", JAR, script], check=True, capture_output=True)
strip([mask] + [os.path.join(tmp, n + ".png") for n in ("grown", "denoise", "composite")],
      ["selection", "grow 4", "feather 10", "composite (blend 8)"]).save(os.path.join(out, "inpaint-masks.png"))

# Masked content at strength 0.75, and strength with the original content.
results, labels = [picture, mask], ["picture", "mask"]
for content in ("original", "fill", "latent_noise", "latent_nothing"):
    f = os.path.join(tmp, f"mc-{content}.png")
    cli("inpaint", "--model", MODEL, "--init", picture, "--mask", mask, "--prompt", "a yellow star", "--seed", 1,
        "--strength", 0.75, "--masked-content", content, "--grow", 4, "--feather", 8, "--out", f, "--quiet")
    results.append(f)
    labels.append(content)
strip(results, labels).save(os.path.join(out, "inpaint-masked-content.png"))
results, labels = [picture], ["picture"]
for strength in (0.3, 0.6, 0.8, 1.0):
    f = os.path.join(tmp, f"s-{strength}.png")
    cli("inpaint", "--model", MODEL, "--init", picture, "--mask", mask, "--prompt", "a yellow star", "--seed", 1,
        "--strength", strength, "--grow", 4, "--feather", 8, "--out", f, "--quiet")
    results.append(f)
    labels.append(f"strength {strength}")
strip(results, labels).save(os.path.join(out, "inpaint-strength.png"))

# Context: a small selection in a 192x128 picture; "masked" generates its box at 64x64, "whole" the whole image.
big = os.path.join(tmp, "big.png")
Image.open(picture).resize((192, 128), Image.BICUBIC).save(big)
small = os.path.join(tmp, "small.png")
sm = Image.new("L", (192, 128), 0)
ImageDraw.Draw(sm).ellipse((120, 40, 160, 80), fill=255)
sm.save(small)
results, labels = [big, small], ["picture 192x128", "selection"]
for context in ("masked", "whole"):
    f = os.path.join(tmp, f"ctx-{context}.png")
    cli("inpaint", "--model", MODEL, "--init", big, "--mask", small, "--prompt", "a yellow star", "--seed", 1,
        "--context", context, "--grow", 4, "--feather", 8, "--out", f, "--quiet")
    results.append(f)
    labels.append(f"context {context}")
strip(results, labels, scale=1).save(os.path.join(out, "inpaint-context.png"))

# Fill and expand as the demo shows them, and the composite switch.
raw = os.path.join(tmp, "raw.png")
comp = os.path.join(tmp, "comp.png")
for f, c in ((raw, "off"), (comp, "on")):
    cli("inpaint", "--model", MODEL, "--init", picture, "--mask", mask, "--prompt", "a yellow star", "--seed", 1,
        "--grow", 4, "--feather", 8, "--composite", c, "--out", f, "--quiet")
diff = np.abs(np.asarray(Image.open(raw), np.int16) - np.asarray(Image.open(picture).convert("RGB"), np.int16))
strip([picture, mask, raw, comp, Image.fromarray((diff.max(-1) > 0).astype(np.uint8) * 255)],
      ["picture", "mask", "composite off", "composite on", "changed (off)"]).save(
    os.path.join(out, "inpaint-composite.png"))
expanded = os.path.join(tmp, "expanded.png")
cli("expand", "--model", MODEL, "--init", picture, "--left", 16, "--right", 32, "--bottom", 16,
    "--prompt", "a red circle on a blue background", "--seed", 0, "--out", expanded, "--quiet")
strip([picture, expanded], ["picture 64x64", "expand left 16, right 32, bottom 16"]).save(
    os.path.join(out, "inpaint-expand.png"))
print("wrote", out)
