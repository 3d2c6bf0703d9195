package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DemoPageTest {

    private static DemoItem item() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("prompt", "a <red> circle & \"friends\"");
        parameters.put("hits", "1\t0.9\ta.png\n2\t0.8\tb.png");
        return new DemoItem("txt2img", "Text to image", "Draws it.",
                List.of(new DemoItem.Output("txt2img.png", "result", DemoItem.Kind.PIXELS),
                        new DemoItem.Output("steps-montage.png", "steps", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("steps.tif", "stack", DemoItem.Kind.LINK)),
                parameters, List.of("bin/ij-genai txt2img --prompt 'a <red> circle'"), 1.234);
    }

    @Test
    void imagesAreShownStacksLinkedAndEveryFileReferenced() {
        String html = DemoPage.html(List.of(item()), "today");
        assertTrue(html.contains("<img src=\"txt2img.png\""));
        assertTrue(html.contains("class=\"pixels\""), "64×64 results enlarged with sharp pixels");
        assertTrue(html.contains("<img src=\"steps-montage.png\""));
        assertFalse(html.contains("<img src=\"steps.tif\""), "browsers do not show TIFF");
        for (String file : List.of("txt2img.png", "steps-montage.png", "steps.tif")) {
            assertTrue(html.contains("href=\"" + file + "\""), file);
        }
        assertTrue(html.contains("1.23 s"), "timing");
        assertTrue(html.contains("<a href=\"#txt2img\">"), "table of contents");
    }

    @Test
    void parametersAndCommandsAreEscaped() {
        String html = DemoPage.html(List.of(item()), "today");
        assertTrue(html.contains("a &lt;red&gt; circle &amp; &quot;friends&quot;"));
        assertTrue(html.contains("--prompt &#39;a &lt;red&gt; circle&#39;"));
        assertFalse(html.contains("<red>"));
        assertTrue(html.contains("<pre>1\t0.9\ta.png\n2\t0.8\tb.png</pre>"), "multi-line values keep their lines");
    }

    @Test
    void skippedSectionShowsWhy() {
        String html = DemoPage.html(List.of(DemoItem.skipped("segment", "Segmentation", "run `segment setup`")),
                "today");
        assertTrue(html.contains("<p class=\"skipped\">run <code>segment setup</code></p>"), html);
        assertFalse(html.contains("`"), "no Markdown backtick leaks into the page");
        assertTrue(html.contains("(skipped)"));
        assertFalse(html.contains("<table>"));
    }

    @Test
    void codeSpansInSectionTextBecomeCodeElementsAndTheRestIsEscaped() {
        assertEquals("IS-Net (installed by <code>ij-genai segment setup</code>) &lt;finds&gt; it",
                DemoPage.prose("IS-Net (installed by `ij-genai segment setup`) <finds> it"));
        assertEquals("<code>a</code> and <code>b &amp; c</code>", DemoPage.prose("`a` and `b & c`"));
        assertEquals("a lone ` stays", DemoPage.prose("a lone ` stays"));
    }

    @Test
    void escapeHandlesEveryHtmlSpecialCharacter() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", DemoPage.escape("<a href=\"x\">&'"));
    }
}
