package org.ijgenai.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing fixture skips a developer's test but fails a CI run that sets {@code ijgenai.requireFixtures}. */
class FixturesTest {

    private static final String REQUIRE = "ijgenai.requireFixtures";

    private final String before = System.getProperty(REQUIRE);

    @AfterEach
    void restoreProperty() {
        if (before == null) {
            System.clearProperty(REQUIRE);
        } else {
            System.setProperty(REQUIRE, before);
        }
    }

    @Test
    void missingFixtureFailsWhenRequired() {
        System.setProperty(REQUIRE, "true");
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> Fixtures.file("no/such/fixture.npy"));
        assertTrue(error.getMessage().contains("no/such/fixture.npy"), error.getMessage());
    }

    @Test
    void missingFixtureSkipsByDefault() {
        System.clearProperty(REQUIRE);
        assertThrows(TestAbortedException.class, () -> Fixtures.file("no/such/fixture.npy"));
    }
}
