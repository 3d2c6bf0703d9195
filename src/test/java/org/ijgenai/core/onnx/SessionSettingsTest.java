package org.ijgenai.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The ONNX Runtime options each Stable Diffusion network loads with (chosen from OrtSettingsBenchmark's figures,
 * docs/sdxl.md), and that every other network keeps full optimisation with the arena.
 */
class SessionSettingsTest {

    @Test
    void eachStableDiffusionNetworkGetsItsMeasuredOptions() {
        // EXTENDED for all; the arena off for the text encoders only (the VAE's peak RSS was lower with it; the
        // UNet's allocation failures name their size only with it).
        SessionSettings cpu = new SessionSettings(2, true, -1);
        for (SessionSettings.Network network : SessionSettings.Network.values()) {
            SessionSettings tuned = cpu.forNetwork(network);
            assertEquals(SessionSettings.GraphOptimization.EXTENDED, tuned.optimization(), network.name());
            assertEquals(network != SessionSettings.Network.TEXT_ENCODER, tuned.cpuArena(), network.name());
            assertEquals(2, tuned.intraOpThreads());
            assertEquals(-1, tuned.cudaDevice());
        }
    }

    @Test
    void otherNetworksKeepFullOptimisationAndTheArena() {
        assertEquals(SessionSettings.GraphOptimization.ALL, SessionSettings.DEFAULT.optimization());
        assertTrue(SessionSettings.DEFAULT.cpuArena());
        assertTrue(SessionSettings.DEFAULT.prepackedWeights());
    }

    @Test
    void onlyTheLowMemoryUnetGoesWithoutRepackedWeights() {
        SessionSettings cpu = new SessionSettings(2, true, -1);
        for (SessionSettings.Network network : SessionSettings.Network.values()) {
            assertEquals(network != SessionSettings.Network.UNET_LOW_MEMORY, cpu.forNetwork(network).prepackedWeights(),
                    network.name());
        }
    }

    @Test
    void optimisationOffMeansNoneForEveryNetwork() {
        SessionSettings off = new SessionSettings(0, false, -1);
        assertEquals(SessionSettings.GraphOptimization.NONE, off.optimization());
        assertEquals(SessionSettings.GraphOptimization.NONE,
                off.forNetwork(SessionSettings.Network.UNET).optimization());
    }
}
