package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The help texts the dialogs hand to ImageJ's help window, laid out at a fixed width (FirstRunGuiIT measures the
 * windows under Xvfb).
 */
class HelpTextTest {

    @Test
    void htmlHelpGetsAFixedWidthBody() {
        assertEquals("<html><body style='width:560px'><b>Title</b><br>text</body></html>",
                GenAiDialog.fitHelp("<html><b>Title</b><br>text</html>"));
    }

    @Test
    void urlsPlainTextAndTextsWithTheirOwnBodyAreLeftAlone() {
        assertEquals("https://imagej.net/ij/", GenAiDialog.fitHelp("https://imagej.net/ij/"));
        assertEquals("plain", GenAiDialog.fitHelp("plain"));
        String own = "<html><body style='width:300px'>x</body></html>";
        assertEquals(own, GenAiDialog.fitHelp(own));
    }

    @Test
    void everyCommandsHelpIsHtml() {
        for (String help : new String[] {StableDiffusionDialog.HELP, InpaintDialog.HELP, AttentionMapsCommand.HELP,
                TextEncoderAttentionCommand.HELP, ForwardDiffusionCommand.HELP}) {
            assertTrue(GenAiDialog.fitHelp(help).startsWith("<html><body style='width:560px'>"), help);
        }
    }
}
