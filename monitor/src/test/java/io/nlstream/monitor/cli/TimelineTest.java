package io.nlstream.monitor.cli;

import io.nlstream.monitor.read.V1Journal;
import io.nlstream.monitor.testing.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code timeline} over the v1 fixture: the page is well-formed XHTML with inline SVG and no reference to
 * anything outside it, and the numbers it draws are those of {@code replay} and {@code state} for the window:
 * events per kind, new connections, the addresses that began them, gaps, and each interface's last span.
 */
class TimelineTest
{
    @TempDir
    static Path tmp;
    static Path journal;

    @BeforeAll
    static void extract()
    {
        journal = V1Journal.extract(tmp);
    }

    @Test
    void theNumbersDrawnAreReplaysAndStates() throws Exception
    {
        final Map<String, String> at = V1Journal.instants();
        for (final String[] window : List.of(new String[] {at.get("T0"), at.get("T4")}, new String[] {at.get("T1"), at.get("T3")}))
        {
            final Path html = tmp.resolve("timeline.html");
            Cli.run("timeline", "--journal", journal.toString(), "--since", window[0], "--until", window[1], "--out", html.toString());
            final String page = Files.readString(html);
            assertTrue(!page.contains("http://") || page.replace("http://www.w3.org/", "").indexOf("http://") < 0, "self-contained");
            assertTrue(!page.contains("<script") && !page.contains("src="), "nothing loaded from elsewhere");
            final Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(html.toFile());

            final List<Map<String, Object>> events = Cli.json("replay", "--journal", journal.toString(), "--since", window[0], "--until", window[1]);
            final Map<String, Long> perKind = new TreeMap<>();
            final Map<String, Long> initiators = new HashMap<>();
            long newConns = 0;
            for (final Map<String, Object> e : events)
            {
                perKind.merge((String)e.get("kind"), 1L, Long::sum);
                if ("conn".equals(e.get("kind")) && "new".equals(e.get("op")))
                {
                    newConns++;
                    initiators.merge((String)((Map<?, ?>)e.get("orig")).get("src"), 1L, Long::sum);
                }
            }
            final Map<String, Long> drawn = new TreeMap<>();
            long drawnNew = 0;
            final NodeList rects = doc.getElementsByTagName("rect");
            for (int i = 0; i < rects.getLength(); i++)
            {
                final Element r = (Element)rects.item(i);
                if (r.getAttribute("class").equals("count"))
                {
                    drawn.merge(r.getAttribute("data-kind"), Long.parseLong(r.getAttribute("data-count")), Long::sum);
                }
                if (r.getAttribute("class").equals("new"))
                {
                    drawnNew += Long.parseLong(r.getAttribute("data-count"));
                }
            }
            assertEquals(perKind, drawn, "events per kind in " + List.of(window));
            assertEquals(newConns, drawnNew);
            final NodeList rows = doc.getElementsByTagName("tr");
            int addresses = 0;
            for (int i = 0; i < rows.getLength(); i++)
            {
                final Element tr = (Element)rows.item(i);
                if (tr.hasAttribute("data-address"))
                {
                    addresses++;
                    assertEquals("0", tr.getAttribute("data-error"));
                    assertEquals(initiators.get(tr.getAttribute("data-address")), Long.valueOf(tr.getAttribute("data-count")), tr.getAttribute("data-address"));
                }
            }
            assertEquals(Math.min(10, initiators.size()), addresses);
            int gapLines = 0;
            final NodeList lines = doc.getElementsByTagName("line");
            for (int i = 0; i < lines.getLength(); i++)
            {
                gapLines += ((Element)lines.item(i)).getAttribute("class").equals("gap") ? 1 : 0;
            }
            assertEquals(2 * perKind.getOrDefault("gap", 0L), gapLines, "each gap marked on both charts");

            // each interface's last span: up or down as state says at the window's end
            final Map<String, String> last = new HashMap<>();
            for (int i = 0; i < rects.getLength(); i++)
            {
                final Element r = (Element)rects.item(i);
                if (r.getAttribute("class").startsWith("span "))
                {
                    last.put(r.getAttribute("data-dev"), r.getAttribute("class").substring(5));
                }
            }
            assertTrue(!last.isEmpty());
            for (final Map<String, Object> l : Cli.json("state", "--journal", journal.toString(), "--kind", "link", "--at", window[1]))
            {
                final String dev = l.get("netns") + "/" + l.get("ifname");
                final boolean up = ((List<?>)l.get("flags")).contains("UP");
                assertEquals(up ? "up" : "down", last.get(dev), dev + " at " + window[1]);
            }
        }
    }

    @Test
    void outIsRequired()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.EXIT_USAGE, Main.run(new String[] {"timeline", "--journal", journal.toString()}, Map.of(),
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--out"));
    }
}
