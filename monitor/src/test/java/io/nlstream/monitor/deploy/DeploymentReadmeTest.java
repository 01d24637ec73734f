package io.nlstream.monitor.deploy;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's "Deployment" names every file in deploy/, and its table of capabilities gives a reason for exactly those
 * the deployment files may grant (DeployFiles.CAPABILITIES, which their tests hold them to).
 */
class DeploymentReadmeTest
{
    @Test
    void everyDeploymentFileIsDescribed() throws Exception
    {
        final String section = section();
        for (final String file : DeployFiles.files(DeployFiles.root().resolve("deploy")))
        {
            assertTrue(section.contains("`deploy/" + file + "`"), () -> "README \"Deployment\" does not name deploy/" + file);
        }
    }

    @Test
    void theCapabilitiesTableGivesAReasonForEachGrantedAndNoOther() throws Exception
    {
        final Set<String> documented = new HashSet<>();
        final Matcher row = Pattern.compile("^\\| `(CAP_[A-Z_]+)` \\| \\S.*\\|$", Pattern.MULTILINE).matcher(section());
        while (row.find())
        {
            documented.add(row.group(1));
        }
        assertEquals(DeployFiles.CAPABILITIES, documented);
    }

    private static String section() throws Exception
    {
        final String readme = DeployFiles.read("README.md");
        final int start = readme.indexOf("\n## Deployment\n");
        assertTrue(start >= 0, "README has no \"## Deployment\"");
        final int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
