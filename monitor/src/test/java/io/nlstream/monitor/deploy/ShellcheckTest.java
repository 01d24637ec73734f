package io.nlstream.monitor.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The scripts deploy/ ships or installs (the image's entrypoint, the launcher and its lib.sh) have no shellcheck
 * warnings or errors, where shellcheck is installed (Debian: shellcheck).
 */
class ShellcheckTest
{
    @TempDir
    Path tmp;

    @Test
    void theShippedScriptsHaveNoWarnings() throws Exception
    {
        final Path shellcheck = Path.of("/usr/bin/shellcheck");
        Assumptions.assumeTrue(Files.isExecutable(shellcheck), "shellcheck is not installed (apt-get install shellcheck)");
        final Path root = DeployFiles.root();

        // -x follows bin/nlstream's source of lib.sh; style notes (-S info, -S style) are not failures
        final DeployFiles.Exited check = DeployFiles.run(tmp, Map.of("PATH", "/usr/bin:/bin"), shellcheck.toString(), "-x", "-S", "warning",
            root.resolve("deploy/docker/entrypoint.sh").toString(), root.resolve("bin/nlstream").toString(), root.resolve("bin/lib.sh").toString());

        assertEquals(0, check.code(), check::toString);
    }
}
