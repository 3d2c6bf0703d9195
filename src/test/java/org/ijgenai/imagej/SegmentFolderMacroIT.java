package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;

/**
 * The scientist's batch job: a macro segments every image of a folder through {@code bin/ij-genai macro} with no
 * display, saving a mask and a ROI set per image (the ROI Manager cannot exist headless, so {@code rois=FILE}).
 */
class SegmentFolderMacroIT {

    @Test
    void macroSegmentsAFolderHeadlessAndSavesMasksAndRoiSets(@TempDir Path tmp) throws Exception {
        Path resources = Paths.get("src/test/resources/org/ijgenai/core/segment").toAbsolutePath();
        Path input = Files.createDirectories(tmp.resolve("in"));
        Path output = Files.createDirectories(tmp.resolve("out"));
        Files.copy(resources.resolve("blobs.png"), input.resolve("first.png"));
        ImagePlus flipped = IJ.openImage(resources.resolve("blobs.png").toString());
        flipped.getProcessor().flipVertical();
        new FileSaver(flipped).saveAsPng(input.resolve("second.png").toString());
        String macro = String.join("\n",
                "input = \"" + input + "/\";",
                "output = \"" + output + "/\";",
                "model = \"" + resources.resolve("blobs_sigmoid.json") + "\";",
                "setBatchMode(true);",
                "files = getFileList(input);",
                "for (i = 0; i < files.length; i++) {",
                "  open(input + files[i]);",
                "  base = File.getNameWithoutExtension(files[i]);",
                "  run(\"Segment (CNN)...\", \"model=[\" + model + \"] threshold=0.5 minimum=50 tile=0 mask rois=[\""
                        + " + output + base + \"-rois.zip]\");",
                "  saveAs(\"Tiff\", output + base + \"-mask.tif\");",
                "  close(\"*\");",
                "}",
                "print(\"SEGMENTED \" + files.length);");
        Path file = tmp.resolve("segment-folder.ijm");
        Files.writeString(file, macro, StandardCharsets.UTF_8);
        Map<String, String> noDisplay = new HashMap<>();
        noDisplay.put("DISPLAY", null);
        noDisplay.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        Processes.Result run = Processes.run(List.of(Dist.launcher().toString(), "macro", file.toString()), tmp,
                noDisplay, 180);
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("SEGMENTED 2"), run.describe());
        for (String name : new String[] {"first", "second"}) {
            ImagePlus mask = IJ.openImage(output.resolve(name + "-mask.tif").toString());
            assertEquals(8, mask.getBitDepth(), name);
            assertEquals(255, (int) mask.getProcessor().getStatistics().max, name);
            try (ZipFile rois = new ZipFile(output.resolve(name + "-rois.zip").toFile())) {
                assertEquals(3, rois.size(), name + ": one ROI per bright disk");
            }
        }
    }
}
