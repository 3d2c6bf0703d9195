package org.ijgenai.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.AtomicFiles;

/**
 * The demo's {@code index.html}: one self-contained page (no scripts, no external resources) that shows every
 * section's images, links its stacks, and lists its parameters, command lines and timings.
 */
final class DemoPage {

    static final String FILE_NAME = "index.html";

    private DemoPage() {}

    /**
     * Writes {@code index.html} into the output folder.
     *
     * @param subtitle one line on how the demo ran (models, date, total time)
     */
    static Path write(Path outDir, List<DemoItem> items, String subtitle) throws IOException {
        Path page = outDir.resolve(FILE_NAME);
        AtomicFiles.writeString(page, html(items, subtitle));
        return page;
    }

    /** The page's HTML. */
    static String html(List<DemoItem> items, String subtitle) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>ij-genai demo</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;")
                .append("color:#222}\n")
                .append("h1{margin-bottom:0}\n.subtitle{color:#666;margin-top:.3em}\n")
                .append("section{border-top:1px solid #ccc;margin-top:2em;padding-top:.5em}\n")
                .append("figure{display:inline-block;margin:.5em 1em .5em 0;vertical-align:top}\n")
                .append("figure img{max-width:100%;border:1px solid #ddd}\n")
                .append("img.pixels{width:256px;height:256px;image-rendering:pixelated}\n")
                .append("figcaption{font-size:.9em;color:#555}\n")
                .append("table{border-collapse:collapse;font-size:.9em}\n")
                .append("td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}\n")
                .append("td pre{margin:0}\n")
                .append("pre.cmd{background:#f4f4f4;padding:.5em;overflow-x:auto;white-space:pre-wrap}\n")
                .append(".skipped{background:#fff6e0;padding:.5em}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>ij-genai demo</h1>\n<p class=\"subtitle\">").append(escape(subtitle)).append("</p>\n");
        h.append("<p>Open the <code>.tif</code> stacks in ImageJ (or run <code>bin/ij-genai -macro ")
                .append(DemoViewer.MACRO).append("</code> from this folder's installation) to step through"
                        + " them slice by slice; every command below runs on its own.</p>\n");
        h.append("<ul>\n");
        for (DemoItem item : items) {
            h.append("<li><a href=\"#").append(item.id()).append("\">").append(escape(item.title())).append("</a>")
                    .append(item.ran() ? String.format(Locale.ROOT, " (%.1f s)", item.seconds()) : " (skipped)")
                    .append("</li>\n");
        }
        h.append("</ul>\n");
        for (DemoItem item : items) {
            section(h, item);
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void section(StringBuilder h, DemoItem item) {
        h.append("<section id=\"").append(item.id()).append("\">\n<h2>").append(escape(item.title()))
                .append("</h2>\n");
        if (!item.ran()) {
            h.append("<p class=\"skipped\">").append(prose(item.text())).append("</p>\n</section>\n");
            return;
        }
        h.append("<p>").append(prose(item.text())).append("</p>\n");
        for (DemoItem.Output file : item.files()) {
            if (file.kind() == DemoItem.Kind.LINK) {
                continue;
            }
            h.append("<figure><a href=\"").append(escape(file.file())).append("\"><img src=\"")
                    .append(escape(file.file())).append("\" alt=\"").append(escape(file.caption())).append('"')
                    .append(file.kind() == DemoItem.Kind.PIXELS ? " class=\"pixels\"" : "")
                    .append("></a><figcaption>").append(escape(file.caption())).append(" — <code>")
                    .append(escape(file.file())).append("</code></figcaption></figure>\n");
        }
        h.append("<p>Files: ");
        boolean first = true;
        for (DemoItem.Output file : item.files()) {
            h.append(first ? "" : " · ").append("<a href=\"").append(escape(file.file())).append("\">")
                    .append(escape(file.file())).append("</a> (").append(escape(file.caption())).append(')');
            first = false;
        }
        h.append("</p>\n<table>\n");
        for (Map.Entry<String, String> e : item.parameters().entrySet()) {
            String value = e.getValue();
            h.append("<tr><th>").append(escape(e.getKey())).append("</th><td>")
                    .append(value.contains("\n") ? "<pre>" + escape(value) + "</pre>" : escape(value))
                    .append("</td></tr>\n");
        }
        h.append(String.format(Locale.ROOT, "<tr><th>time</th><td>%.2f s</td></tr>\n", item.seconds()));
        h.append("</table>\n<p>Command").append(item.commands().size() > 1 ? "s" : "")
                .append(" (from the installation folder):</p>\n<pre class=\"cmd\">");
        h.append(escape(String.join("\n", item.commands()))).append("</pre>\n</section>\n");
    }

    /**
     * A section's text as HTML: escaped, with the Markdown code spans the texts use ({@code `bin/ij-genai ...`})
     * turned into {@code <code>} elements, so no backtick reaches the page.
     */
    static String prose(String text) {
        return escape(text).replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    /** Escapes text for HTML content and double-quoted attributes. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&':
                    s.append("&amp;");
                    break;
                case '<':
                    s.append("&lt;");
                    break;
                case '>':
                    s.append("&gt;");
                    break;
                case '"':
                    s.append("&quot;");
                    break;
                case '\'':
                    s.append("&#39;");
                    break;
                default:
                    s.append(c);
            }
        }
        return s.toString();
    }
}
