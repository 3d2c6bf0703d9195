package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The font of the noise-schedule plot's axis labels, which use ᾱ (U+1FB1), ∏, β and −. */
class SchedulePlotTest {

    /** A font that draws only ASCII, as a physical font without Greek would. */
    private static Font asciiOnly(String name) {
        return new Font(name, Font.PLAIN, 12) {
            private static final long serialVersionUID = 1L;

            @Override
            public int canDisplayUpTo(String text) {
                for (int i = 0; i < text.length(); i++) {
                    if (text.charAt(i) > 127) {
                        return i;
                    }
                }
                return -1;
            }
        };
    }

    @Test
    void aFontThatLacksAlphaBarIsPassedOverForOneThatHasIt() {
        Font arial = asciiOnly("Arial");
        Font dejaVu = new Font("DejaVu Sans", Font.PLAIN, 12) {
            private static final long serialVersionUID = 1L;

            @Override
            public int canDisplayUpTo(String text) {
                return -1;
            }
        };
        assertSame(dejaVu, SchedulePlot.labelFont(List.of(arial, dejaVu), String.join("", SchedulePlot.LABELS)));
        assertSame(arial, SchedulePlot.labelFont(List.of(arial, dejaVu), String.join("",
                SchedulePlot.ASCII_LABELS)), "ImageJ's own font when it has every character");
    }

    @Test
    void withNoFontThatHasThemTheLabelsFallBackToAscii() {
        assertNull(SchedulePlot.labelFont(List.of(asciiOnly("A"), asciiOnly("B")), "ᾱ_t"));
        assertEquals(SchedulePlot.LABELS.size(), SchedulePlot.ASCII_LABELS.size());
        for (String label : SchedulePlot.ASCII_LABELS) {
            assertTrue(label.chars().allMatch(c -> c < 128), label);
        }
    }

    @Test
    void thisMachinesLabelFontDrawsEveryLabelCharacter() {
        Font font = SchedulePlot.labelFont();
        // With fonts-dejavu-core, as CI installs it, there is always one.
        assertTrue(font != null, "no installed font has ᾱ, ∏ and β");
        assertEquals(-1, font.canDisplayUpTo(String.join("", SchedulePlot.LABELS)), font.toString());
    }
}
