"""The fonts every printout and chart is set in, by name (Debian's fonts-noto-cjk, and
fonts-symbola for what Noto Sans CJK lacks). The PDFs (``printing.render``) and the charts
(``charts``) both read them here, so that a chart in a PDF matches the text around it."""

FONT_FAMILY = "Noto Sans CJK JP"
# For what Noto Sans CJK lacks (emoji and symbols in a name or a note, which printed as empty
# boxes): Symbola (Debian's fonts-symbola, 1.3 MB, outline glyphs that print in black and white),
# embedded only into a PDF that uses one of its characters.
FALLBACK_FONTS = ("Symbola",)
