package org.ijgenai.imagej;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.ijgenai.core.AtomicFiles;

import ij.gui.Roi;
import ij.io.RoiEncoder;

/** Saves ROIs as a ROI Manager zip file without needing a ROI Manager, so it works headless. */
public final class RoiSets {

    private RoiSets() {}

    /**
     * Writes one {@code NAME.roi} entry per ROI, in order, the format ROI Manager › More › Open reads, through a
     * temporary file and a rename.
     */
    public static void save(List<Roi> rois, Path zip) {
        AtomicFiles.write(zip, temporary -> {
            try (OutputStream file = Files.newOutputStream(temporary);
                    ZipOutputStream out = new ZipOutputStream(file)) {
                for (Roi roi : rois) {
                    out.putNextEntry(new ZipEntry(roi.getName() + ".roi"));
                    out.write(RoiEncoder.saveAsByteArray(roi));
                    out.closeEntry();
                }
            }
        });
    }
}
