package io.nlstream.monitor.deploy;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/docker/Dockerfile read as Docker reads its instructions (no Docker needed): a Maven build stage that gets the
 * dependencies from the poms before the sources, a Debian Java 17 runtime stage with libmnl that holds the installed
 * layout the launcher expects, and every file it copies from the build context present in the repository and let
 * through by the ignore file beside it.
 */
class DockerfileTest
{
    private static final String DOCKERFILE = "deploy/docker/Dockerfile";

    /** One instruction: its keyword and what follows, continuation lines joined. */
    private record Instruction(String keyword, String rest)
    {
        List<String> words()
        {
            return Arrays.asList(rest.strip().split("\\s+"));
        }
    }

    /** A stage: its base image, its name (or null) and its instructions after FROM. */
    private record Stage(String image, String name, List<Instruction> instructions)
    {
    }

    @Test
    void aMavenJdk17BuildStageThenADebianJava17RuntimeWithLibmnl() throws Exception
    {
        final List<Stage> stages = stages();
        assertEquals(2, stages.size(), stages::toString);
        final Stage build = stages.get(0);
        final Stage runtime = stages.get(1);
        assertEquals("build", build.name());
        assertTrue(build.image().startsWith("maven:") && build.image().contains("17"), build.image());
        assertTrue(runtime.image().startsWith("debian:"), runtime.image());
        final String install = runtime.instructions().stream().filter(i -> i.keyword().equals("RUN") && i.rest().contains("apt-get install"))
            .map(Instruction::rest).findFirst().orElseThrow(() -> new AssertionError("no apt-get install in the runtime stage"));
        for (final String pkg : List.of("openjdk-17-jre-headless", "libmnl0"))
        {
            assertTrue(Arrays.asList(install.split("[\\s&;]+")).contains(pkg), () -> pkg + " not installed: " + install);
        }
        assertTrue(build.instructions().stream().anyMatch(i -> i.keyword().equals("RUN") && i.rest().startsWith("mvn -B -DskipTests package")),
            "the build runs mvn -B -DskipTests package");
    }

    @Test
    void theBuildStageCopiesEveryPomBeforeAnySourceForItsDependencyLayer() throws Exception
    {
        final List<Instruction> build = stages().get(0).instructions();
        final List<String> poms = new ArrayList<>(List.of("pom.xml"));
        for (final String module : xmlTexts(DeployFiles.root().resolve("pom.xml"), "/project/modules/module"))
        {
            poms.add(module + "/pom.xml");
        }
        final int firstMaven = indexOf(build, i -> i.keyword().equals("RUN") && i.rest().contains("mvn "));
        final int firstSource = indexOf(build, i -> i.keyword().equals("COPY") && i.rest().contains("/src"));
        assertTrue(firstMaven >= 0 && firstSource > firstMaven, "mvn runs on the poms before the sources are copied");
        final Set<String> copiedBefore = new HashSet<>();
        for (final Instruction i : build.subList(0, firstMaven))
        {
            if (i.keyword().equals("COPY"))
            {
                copiedBefore.addAll(sources(i));
            }
        }
        assertTrue(copiedBefore.containsAll(poms), () -> "poms copied before mvn: " + copiedBefore + ", the reactor's: " + poms);
    }

    @Test
    void theRuntimeHoldsTheInstalledLayoutAndRunsTheEntrypoint() throws Exception
    {
        final List<Stage> stages = stages();
        final String buildDir = workdir(stages.get(0));
        final Set<String> installed = new HashSet<>();
        String entrypointCopy = null;
        for (final Instruction i : stages.get(1).instructions())
        {
            if (!i.keyword().equals("COPY"))
            {
                continue;
            }
            final List<String> sources = sources(i);
            final String dest = destination(i);
            for (final String source : sources)
            {
                // a source given with a trailing / is a directory: its contents land in dest
                final String name = source.endsWith("/") ? "*" : Path.of(source).getFileName().toString();
                installed.add(dest.endsWith("/") ? dest + name : dest);
                if (source.equals("deploy/docker/entrypoint.sh"))
                {
                    entrypointCopy = dest;
                }
            }
            if (i.rest().startsWith("--from=build"))
            {
                checkBuildOutputs(sources, buildDir);
            }
        }
        final String opt = DeployFiles.INSTALL_DIR;
        assertTrue(installed.containsAll(List.of(opt + "/bin/nlstream", opt + "/bin/lib.sh", opt + "/lib/nlstream-monitor.jar", opt + "/lib/*")),
            installed::toString);
        assertTrue(installed.stream().noneMatch(f -> f.startsWith(opt + "/pom.xml")), "no pom.xml: the launcher would build");
        final List<String> entrypoint = exec(stages.get(1), "ENTRYPOINT");
        assertEquals(List.of(entrypointCopy), entrypoint, "ENTRYPOINT is the copied entrypoint.sh, exec form");
        assertTrue(one(stages.get(1), "VOLUME").words().contains(DeployFiles.JOURNAL_DIR));
        assertTrue(one(stages.get(1), "EXPOSE").words().contains("9464"));
        assertTrue(one(stages.get(1), "ENV").rest().contains("NLSTREAM_JOURNAL_DIR=" + DeployFiles.JOURNAL_DIR),
            "docker exec ... nlstream state finds the journal");
    }

    @Test
    void everyFileCopiedFromTheContextIsInTheRepositoryAndNotIgnored() throws Exception
    {
        final List<String> ignore = DeployFiles.read("deploy/docker/Dockerfile.dockerignore").lines()
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        int copies = 0;
        for (final Stage stage : stages())
        {
            for (final Instruction i : stage.instructions())
            {
                if (i.keyword().equals("COPY") && !i.rest().startsWith("--from="))
                {
                    for (final String source : sources(i))
                    {
                        copies++;
                        assertTrue(Files.exists(DeployFiles.root().resolve(source)), () -> source + " is not in the repository");
                        assertFalse(ignored(ignore, source.replaceAll("/$", "")), () -> source + " is left out by the ignore file");
                    }
                }
            }
        }
        assertTrue(copies >= 10, "COPY sources found: " + copies);
        assertTrue(ignored(ignore, "monitor/target/nlstream-monitor.jar") && ignored(ignore, "nlstream-journal/metadata.cq4t"),
            "build output and journals stay out of the context");
    }

    /** The build outputs the runtime copies are those monitor/pom.xml makes: its jar and its copied libraries. */
    private static void checkBuildOutputs(final List<String> sources, final String buildDir) throws Exception
    {
        final Path pom = DeployFiles.root().resolve("monitor/pom.xml");
        final String jar = "monitor/target/" + xmlTexts(pom, "/project/build/finalName").get(0) + ".jar";
        final String libs = xmlTexts(pom, "/project/build/plugins/plugin/executions/execution/configuration/outputDirectory").get(0)
            .replace("${project.build.directory}", "monitor/target") + "/";
        for (final String source : sources)
        {
            assertTrue(source.startsWith(buildDir + "/"), () -> source + " is not under the build stage's WORKDIR " + buildDir);
            final String relative = source.substring(buildDir.length() + 1);
            assertTrue(relative.equals(jar) || relative.equals(libs), () -> relative + " is neither " + jar + " nor " + libs);
        }
    }

    /** Docker's ignore rules, as far as this file uses them: the last pattern that matches a path or a parent wins. */
    private static boolean ignored(final List<String> patterns, final String path)
    {
        boolean ignored = false;
        for (final String line : patterns)
        {
            final boolean keep = line.startsWith("!");
            final var matcher = FileSystems.getDefault().getPathMatcher("glob:" + (keep ? line.substring(1) : line));
            for (Path p = Path.of(path); p != null; p = p.getParent())
            {
                if (matcher.matches(p))
                {
                    ignored = !keep;
                    break;
                }
            }
        }
        return ignored;
    }

    private static List<Stage> stages() throws IOException
    {
        final List<Stage> stages = new ArrayList<>();
        final StringBuilder logical = new StringBuilder();
        for (final String line : DeployFiles.read(DOCKERFILE).lines().toList())
        {
            if (line.strip().startsWith("#"))
            {
                continue; // comments, also between continued lines
            }
            if (line.endsWith("\\"))
            {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            final String text = logical.toString().strip();
            logical.setLength(0);
            if (text.isEmpty())
            {
                continue;
            }
            final String[] kv = text.split("\\s+", 2);
            final Instruction instruction = new Instruction(kv[0].toUpperCase(java.util.Locale.ROOT), kv.length > 1 ? kv[1] : "");
            if (instruction.keyword().equals("FROM"))
            {
                final List<String> w = instruction.words();
                stages.add(new Stage(w.get(0), w.size() == 3 && w.get(1).equalsIgnoreCase("AS") ? w.get(2) : null, new ArrayList<>()));
            }
            else
            {
                assertFalse(stages.isEmpty(), () -> "an instruction before FROM: " + text);
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return stages;
    }

    /** COPY's sources: every word but its --options and the last (the destination). */
    private static List<String> sources(final Instruction copy)
    {
        final List<String> words = copy.words().stream().filter(w -> !w.startsWith("--")).toList();
        return words.subList(0, words.size() - 1);
    }

    private static String destination(final Instruction copy)
    {
        final List<String> words = copy.words();
        return words.get(words.size() - 1);
    }

    private static String workdir(final Stage stage)
    {
        return one(stage, "WORKDIR").rest().strip();
    }

    private static Instruction one(final Stage stage, final String keyword)
    {
        final List<Instruction> found = stage.instructions().stream().filter(i -> i.keyword().equals(keyword)).toList();
        assertEquals(1, found.size(), () -> keyword + " in stage " + stage.image());
        return found.get(0);
    }

    /** An instruction in exec form: ["a", "b"]. */
    private static List<String> exec(final Stage stage, final String keyword)
    {
        final String rest = one(stage, keyword).rest().strip();
        assertTrue(rest.startsWith("[") && rest.endsWith("]"), () -> keyword + " not in exec form: " + rest);
        final List<String> words = new ArrayList<>();
        final Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(rest);
        while (m.find())
        {
            words.add(m.group(1));
        }
        return words;
    }

    private static int indexOf(final List<Instruction> instructions, final java.util.function.Predicate<Instruction> test)
    {
        for (int i = 0; i < instructions.size(); i++)
        {
            if (test.test(instructions.get(i)))
            {
                return i;
            }
        }
        return -1;
    }

    private static List<String> xmlTexts(final Path xml, final String xpath) throws Exception
    {
        final Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        final var nodes = (org.w3c.dom.NodeList)javax.xml.xpath.XPathFactory.newInstance().newXPath()
            .evaluate(xpath, doc, javax.xml.xpath.XPathConstants.NODESET);
        final List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            texts.add(nodes.item(i).getTextContent().strip());
        }
        assertFalse(texts.isEmpty(), () -> xpath + " not in " + xml);
        return texts;
    }
}
