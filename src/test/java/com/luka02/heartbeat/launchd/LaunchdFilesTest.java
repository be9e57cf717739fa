package com.luka02.heartbeat.launchd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

/** Renders the launchd plist and the systemd unit through their installers' --print mode. */
class LaunchdFilesTest {

    private static final Path BASE = Path.of("").toAbsolutePath();
    private static final String LABEL = "com.02luka.heartbeat-ingester";
    private static final String JAR = "/opt/x/heartbeat-ingester.jar";
    private static final String JAVA = "/usr/bin/java";
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path tmp;

    @BeforeAll
    static void runFromTheProjectBaseDir() {
        assertTrue(Files.isRegularFile(BASE.resolve("launchd/install.sh")),
                "tests must run with the project base dir as working directory, not " + BASE);
    }

    @Test
    void plistRendersWithAbsolutePathsAndRestartsOnFailure() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("My Drive").resolve("02luka"));

        Map<String, Object> plist = renderPlist(root);

        assertEquals(LABEL, plist.get("Label"));
        assertEquals(List.of(JAVA, "-Xms16m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:-UsePerfData", "-XX:+UnlockDiagnosticVMOptions", "-XX:AsyncDeflationInterval=10000", "-XX:GuaranteedSafepointInterval=0", "-XX:-ShrinkHeapInSteps", "-XX:TieredStopAtLevel=1", "-jar", JAR, "--root", root.toString(), "run"),
                plist.get("ProgramArguments"));
        assertEquals(true, plist.get("RunAtLoad"));
        assertEquals(Map.of("SuccessfulExit", false), plist.get("KeepAlive"));
        assertEquals(root.toString(), plist.get("WorkingDirectory"));
        Path logs = root.resolve("g").resolve("logs");
        assertEquals(logs.resolve("launchd.out.log").toString(), plist.get("StandardOutPath"));
        assertEquals(logs.resolve("launchd.err.log").toString(), plist.get("StandardErrorPath"));
        assertEquals("Standard", plist.get("ProcessType"));
        long throttle = assertInstanceOf(Long.class, plist.get("ThrottleInterval"));
        assertTrue(throttle > 0, "ThrottleInterval " + throttle);
        long exitTimeOut = assertInstanceOf(Long.class, plist.get("ExitTimeOut"));
        assertTrue(exitTimeOut > 0, "ExitTimeOut " + exitTimeOut);
        Map<?, ?> env = assertInstanceOf(Map.class, plist.get("EnvironmentVariables"));
        assertInstanceOf(String.class, env.get("PATH"));
        assertEquals("launchd", env.get("HEARTBEAT_SUPERVISOR"),
                "the agent must know it runs under launchd: it then exits 0 on errors a restart cannot fix"
                        + " and logs only to its rotated file, not to the unrotated StandardOutPath");
        assertEquals(63L, plist.get("Umask"), "077: what the agent creates is its owner's only");
    }

    @Test
    void systemdUnitDoesNotRestartOnErrorsARestartCannotFix_andIsSandboxed() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("My Drive").resolve("02luka"));

        List<String> lines = printOk("launchd/install-systemd.sh", root).lines().toList();

        assertTrue(lines.contains("RestartPreventExitStatus=2 3 4 5"), "RestartPreventExitStatus: " + lines);
        for (String setting : List.of("UMask=0077", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=read-only",
                "ReadWritePaths=\"" + root + "\"", "PrivateTmp=yes", "CacheDirectory=heartbeat-ingester",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX")) {
            assertTrue(lines.contains(setting), setting + " in " + lines);
        }
    }

    /**
     * systemd's own judgement of the unit's sandboxing: 9.6 ("UNSAFE") before it was sandboxed. Runs
     * where systemd-analyze is installed (Debian: the systemd package).
     */
    @Test
    void systemdAnalyzeSecurityRatesTheUnitOk() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "no " + analyze);
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path unit = tmp.resolve("heartbeat-ingester.service");
        Files.writeString(unit, printOk("launchd/install-systemd.sh", root));

        Process p = new ProcessBuilder(analyze.toString(), "security", "--offline=true", unit.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "systemd-analyze did not finish");

        Matcher m = Pattern.compile("Overall exposure level for heartbeat-ingester.service: ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) <= 3.0, "exposure " + m.group(1) + ":\n" + out);
    }

    @Test
    void renderedPlistLeavesNoPlaceholderBehind() throws Exception {
        String template = Files.readString(BASE.resolve("launchd/" + LABEL + ".plist.template"), UTF_8);
        assertEquals(Set.of("__JAVA__", "__JAR__", "__ROOT__"), placeholders(template));
        String unitTemplate = Files.readString(BASE.resolve("launchd/heartbeat-ingester.service"), UTF_8);
        assertEquals(Set.of("__JAVA__", "__JAR__", "__ROOT__"), placeholders(unitTemplate));

        Path root = Files.createDirectories(tmp.resolve("My Drive"));
        String plist = printOk("launchd/install.sh", root);
        String unit = printOk("launchd/install-systemd.sh", root);

        assertFalse(plist.contains("__"), plist);
        assertFalse(unit.contains("__"), unit);
    }

    @Test
    void rootWithXmlSpecialCharactersStillRendersValidPlist() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("R&D <ops> & co"));

        Map<String, Object> plist = renderPlist(root);

        assertEquals(root.toString(), plist.get("WorkingDirectory"));
        List<?> args = (List<?>) plist.get("ProgramArguments");
        assertEquals(root.toString(), args.get(args.indexOf("--root") + 1));
    }

    @Test
    void systemdUnitRunsTheJarInTheRootAndRestartsOnFailure() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("My Drive").resolve("02luka"));

        List<String> lines = printOk("launchd/install-systemd.sh", root).lines().toList();

        List<String> exec = lines.stream().filter(l -> l.startsWith("ExecStart=")).toList();
        assertEquals(1, exec.size(), "one ExecStart line: " + lines);
        String execStart = exec.get(0);
        assertTrue(execStart.startsWith("ExecStart=\"" + JAVA + "\" "), execStart);
        assertTrue(execStart.contains(" -jar \"" + JAR + "\" "), execStart);
        assertTrue(execStart.contains(" --root \"" + root + "\" "), execStart);
        assertTrue(execStart.endsWith(" run"), execStart);
        assertTrue(lines.contains("WorkingDirectory=" + root), "WorkingDirectory: " + lines);
        assertTrue(lines.contains("Environment=MALLOC_ARENA_MAX=2"), "the environment a plain run gives itself: " + lines);
        assertTrue(lines.contains("Restart=on-failure"), "Restart: " + lines);
        assertTrue(lines.contains("RestartPreventExitStatus=2 3 4 5"), "a damaged store (exit 5) is not restarted: " + lines);
        assertTrue(lines.contains("Type=simple"), "Type: " + lines);
        assertTrue(lines.contains("WantedBy=default.target"), "WantedBy: " + lines);
    }

    @Test
    void scriptsAreValidBashAndExplainThemselves() throws Exception {
        for (String script : List.of("launchd/install.sh", "launchd/install-systemd.sh", "launchd/uninstall.sh")) {
            Result syntax = bash("-n", script);
            assertEquals(0, syntax.exitCode(), script + ": " + syntax.stderr());
            Result help = bash(script, "--help");
            assertEquals(0, help.exitCode(), script + ": " + help.stderr());
            assertTrue(help.stdout().startsWith("Usage:"), script + ": " + help.stdout());
        }
    }

    @Test
    void installerRejectsAnUnknownOptionWithoutDoingAnything() throws Exception {
        for (String script : List.of("launchd/install.sh", "launchd/install-systemd.sh")) {
            Result r = bash(script, "--frobnicate", "--print");
            assertNotEquals(0, r.exitCode(), script);
            assertEquals("", r.stdout(), script);
            assertTrue(r.stderr().contains("--frobnicate"), script + ": " + r.stderr());
        }
    }

    // --- helpers -------------------------------------------------------------------------

    private record Result(int exitCode, String stdout, String stderr) {}

    private Map<String, Object> renderPlist(Path root) throws Exception {
        return parsePlist(printOk("launchd/install.sh", root));
    }

    private String printOk(String script, Path root) throws Exception {
        Result r = bash(script, "--print", "--root", root.toString(), "--jar", JAR, "--java", JAVA);
        assertEquals(0, r.exitCode(), script + " --print failed: " + r.stderr());
        return r.stdout();
    }

    private Result bash(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process process = new ProcessBuilder(command)
                .directory(BASE.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("timed out after " + TIMEOUT_SECONDS + " s: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile("__[A-Z_]+?__").matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** Parses a plist document (without fetching Apple's DTD) and returns its top-level dict. */
    private static Map<String, Object> parsePlist(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setValidating(false);
        factory.setIgnoringComments(true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(new ErrorHandler() {
            @Override public void warning(SAXParseException e) throws SAXParseException { throw e; }
            @Override public void error(SAXParseException e) throws SAXParseException { throw e; }
            @Override public void fatalError(SAXParseException e) throws SAXParseException { throw e; }
        });
        Document doc = builder.parse(new InputSource(new StringReader(xml)));

        assertEquals("plist", doc.getDoctype().getName());
        assertEquals("-//Apple//DTD PLIST 1.0//EN", doc.getDoctype().getPublicId());
        Element plist = doc.getDocumentElement();
        assertEquals("plist", plist.getTagName());
        assertEquals("1.0", plist.getAttribute("version"));
        List<Element> top = childElements(plist);
        assertEquals(1, top.size(), "one top-level element in <plist>");
        Object value = plistValue(top.get(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> dict = assertInstanceOf(Map.class, value);
        return dict;
    }

    /** string, integer (Long), true/false (Boolean), array (List), dict (Map in document order). */
    private static Object plistValue(Element e) {
        return switch (e.getTagName()) {
            case "string" -> e.getTextContent();
            case "integer" -> Long.parseLong(e.getTextContent().trim());
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "array" -> childElements(e).stream().map(LaunchdFilesTest::plistValue).toList();
            case "dict" -> dictToMap(e);
            default -> throw new AssertionError("unexpected plist element <" + e.getTagName() + ">");
        };
    }

    private static Map<String, Object> dictToMap(Element dict) {
        List<Element> children = childElements(dict);
        assertEquals(0, children.size() % 2, "<dict> must alternate <key> and value");
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < children.size(); i += 2) {
            Element key = children.get(i);
            assertEquals("key", key.getTagName(), "expected <key> in <dict>");
            Object previous = map.put(key.getTextContent(), plistValue(children.get(i + 1)));
            assertEquals(null, previous, "duplicate key " + key.getTextContent());
        }
        return map;
    }

    private static List<Element> childElements(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                elements.add(el);
            }
        }
        return elements;
    }
}
