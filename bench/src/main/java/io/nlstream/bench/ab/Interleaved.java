package io.nlstream.bench.ab;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Two builds of the same operation in one JVM, timed in alternating slices: {@code bin/bench ab}.
 * <p>
 * On a shared VM a JMH fork of one build can differ from the next fork of the same build by 40-80 % (other guests,
 * frequency), which hides a 10 % change between two builds measured one after the other, or even side by side on
 * separate cores. Here each build's classes are loaded by a class loader of their own from its
 * {@code bench/target/benchmarks.jar} (so the JIT compiles and profiles each separately, as in two JVMs), the workload
 * class (this package, from the running jar) is defined in each loader, and slices of {@code --slice-ms} alternate
 * between the builds, in a random order within each pair. Whatever slows the machine down for longer than a pair
 * slows both; the answer is the distribution of the per-pair ratios B/A.
 * <p>
 * Usage: {@code Interleaved --a DIR --b DIR --work AddrWork|InetDiagWork|LinkWork|CtWork --param P[,P...]
 * [--warmup-s 8] [--pairs 60] [--slice-ms 40] [--jvms N]}; DIR is a source tree whose
 * {@code bench/target/benchmarks.jar} is built. With {@code --jvms N} the comparison runs in N JVMs one after the
 * other, and the per-JVM median ratios are summed up (min, median, max, geometric mean).
 */
public final class Interleaved
{
    private Interleaved()
    {
    }

    public static void main(final String[] args) throws Throwable
    {
        Path a = null;
        Path b = null;
        String work = null;
        String[] params = null;
        double warmupS = 8;
        int pairs = 60;
        int sliceMs = 40;
        int jvms = 1;
        final List<String> perJvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--a" -> a = Path.of(value);
                case "--b" -> b = Path.of(value);
                case "--work" -> work = value;
                case "--param" -> params = value.split(",");
                case "--warmup-s" -> warmupS = Double.parseDouble(value);
                case "--pairs" -> pairs = Integer.parseInt(value);
                case "--slice-ms" -> sliceMs = Integer.parseInt(value);
                case "--jvms" -> jvms = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
            if (!args[i].equals("--jvms"))
            {
                perJvm.add(args[i]);
                perJvm.add(value);
            }
            i++;
        }
        if (a == null || b == null || work == null || params == null)
        {
            throw new IllegalArgumentException("usage: --a DIR --b DIR --work CLASS --param P[,P...] [--warmup-s S]"
                + " [--pairs N] [--slice-ms MS]");
        }
        if (jvms > 1)
        {
            acrossJvms(jvms, perJvm, params);
            return;
        }
        final String workClass = work.contains(".") ? work : Interleaved.class.getPackageName() + "." + work;
        System.out.printf(Locale.ROOT, "A = %s%nB = %s%n%-28s %9s %9s %7s %7s %7s %7s%n", a, b, work, "A ns/op",
            "B ns/op", "B/A p10", "p25", "median", "p75");
        for (final String param : params)
        {
            final Side sa = new Side(a, workClass, param);
            final Side sb = new Side(b, workClass, param);
            run(param, sa, sb, warmupS, pairs, sliceMs);
        }
    }

    private static void run(final String param, final Side a, final Side b, final double warmupS, final int pairs,
        final int sliceMs) throws Throwable
    {
        // calibrate on the interpreter's speed first, then again once warm
        int n = 1000;
        final long warmEnd = System.nanoTime() + (long)(warmupS * 1e9);
        final SplittableRandom order = new SplittableRandom(7);
        while (System.nanoTime() < warmEnd)
        {
            // either first, so that neither reaches the JIT's thresholds first every time
            final double ta;
            if (order.nextBoolean())
            {
                ta = a.time(n);
                b.time(n);
            }
            else
            {
                b.time(n);
                ta = a.time(n);
            }
            n = ops(ta, n, sliceMs);
        }
        n = ops(Math.min(a.time(n), b.time(n)), n, sliceMs);
        final SplittableRandom random = new SplittableRandom(42);
        final double[] nsA = new double[pairs];
        final double[] nsB = new double[pairs];
        final double[] ratio = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            if (random.nextBoolean())
            {
                nsA[i] = a.time(n) / n;
                nsB[i] = b.time(n) / n;
            }
            else
            {
                nsB[i] = b.time(n) / n;
                nsA[i] = a.time(n) / n;
            }
            ratio[i] = nsB[i] / nsA[i];
        }
        Arrays.sort(nsA);
        Arrays.sort(nsB);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "%-28s %9.1f %9.1f %7.3f %7.3f %7.3f %7.3f%n", param, q(nsA, 0.5), q(nsB, 0.5),
            q(ratio, 0.1), q(ratio, 0.25), q(ratio, 0.5), q(ratio, 0.75));
    }

    /**
     * Runs the comparison in {@code jvms} JVMs one after the other and sums up the per-JVM medians: the JIT compiles a
     * method differently from one JVM to the next (the conntrack decoder's compiled code differs by up to 50 % between
     * two JVMs of the same build), which pairing slices within one JVM cannot cancel.
     */
    private static void acrossJvms(final int jvms, final List<String> args, final String[] params) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Interleaved.class.getName());
        command.addAll(args);
        final double[][] ratios = new double[params.length][jvms];
        final double[][] nsA = new double[params.length][jvms];
        final double[][] nsB = new double[params.length][jvms];
        for (int j = 0; j < jvms; j++)
        {
            // every other JVM loads and runs the builds the other way round (B's loader made first), and its ratios are
            // turned back: what comes of an order cancels out
            final boolean swap = j % 2 == 1;
            final List<String> run = new ArrayList<>(command);
            if (swap)
            {
                final int a = run.indexOf("--a");
                final int b = run.indexOf("--b");
                final String da = run.get(a + 1);
                run.set(a + 1, run.get(b + 1));
                run.set(b + 1, da);
            }
            final Process p = new ProcessBuilder(run).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            final String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0)
            {
                throw new IllegalStateException("JVM " + (j + 1) + " failed:\n" + out);
            }
            if (j == 0)
            {
                System.out.print(out.lines().limit(3).map(l -> l + "\n").reduce("", String::concat));
            }
            for (int k = 0; k < params.length; k++)
            {
                final String param = params[k];
                final String[] f = out.lines().filter(l -> l.startsWith(param + " ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no line for " + param + " in\n" + out)).trim().split("\\s+");
                nsA[k][j] = Double.parseDouble(f[swap ? 2 : 1]);
                nsB[k][j] = Double.parseDouble(f[swap ? 1 : 2]);
                ratios[k][j] = swap ? 1 / Double.parseDouble(f[5]) : Double.parseDouble(f[5]);
                System.out.printf(Locale.ROOT, "  jvm %2d%s %-28s A %9.1f B %9.1f B/A median %7.3f%n", j + 1, swap ? " (B loaded first)" : "", param,
                    nsA[k][j], nsB[k][j], ratios[k][j]);
            }
        }
        System.out.printf(Locale.ROOT, "%njvms=%d: per-JVM medians of B/A%n%-28s %9s %9s %7s %7s %7s %7s%n", jvms, "param", "A ns/op",
            "B ns/op", "min", "median", "max", "geomean");
        for (int k = 0; k < params.length; k++)
        {
            double log = 0;
            for (final double r : ratios[k])
            {
                log += Math.log(r);
            }
            Arrays.sort(ratios[k]);
            Arrays.sort(nsA[k]);
            Arrays.sort(nsB[k]);
            System.out.printf(Locale.ROOT, "%-28s %9.1f %9.1f %7.3f %7.3f %7.3f %7.3f%n", params[k], q(nsA[k], 0.5), q(nsB[k], 0.5),
                ratios[k][0], q(ratios[k], 0.5), ratios[k][jvms - 1], Math.exp(log / jvms));
        }
    }

    /** @return how many operations fill a slice, at {@code nanos} for {@code n} */
    private static int ops(final double nanos, final int n, final int sliceMs)
    {
        return (int)Math.max(1000, Math.min(100_000_000, sliceMs * 1e6 * n / Math.max(nanos, 1)));
    }

    private static double q(final double[] sorted, final double p)
    {
        return sorted[(int)Math.round(p * (sorted.length - 1))];
    }

    /** One build: its loader, its workload object, the handle on {@code long run(int)}. */
    private static final class Side
    {
        private final Object work;
        private final MethodHandle run;
        // what the operations computed, kept so that none is dead code
        private long sink;

        Side(final Path tree, final String workClass, final String param) throws Throwable
        {
            final Path jar = tree.resolve("bench/target/benchmarks.jar");
            if (!Files.isRegularFile(jar))
            {
                throw new IllegalArgumentException(jar + " is missing: build it with bin/bench -l in " + tree);
            }
            // the workload classes (and the fixtures) from the running jar first, everything they use from the build's
            final URL self = Interleaved.class.getProtectionDomain().getCodeSource().getLocation();
            final ClassLoader loader = new BuildLoader(self, jar.toUri().toURL(), Interleaved.class.getPackageName() + ".");
            final Class<?> c = Class.forName(workClass, true, loader);
            work = c.getConstructor(String.class).newInstance(param);
            run = MethodHandles.publicLookup().findVirtual(c, "run", MethodType.methodType(long.class, int.class))
                .bindTo(work);
        }

        /** @return nanoseconds for {@code n} operations */
        double time(final int n) throws Throwable
        {
            final long start = System.nanoTime();
            sink += (long)run.invokeExact(n);
            return System.nanoTime() - start;
        }
    }

    /**
     * Takes this package's classes from the first URL and every other class from the build's jar (the running jar
     * holds the running build's classes too, which must not stand in for the other build's).
     */
    private static final class BuildLoader extends ClassLoader
    {
        private final URLClassLoader self;
        private final URLClassLoader build;
        private final String ownPackage;

        BuildLoader(final URL self, final URL build, final String ownPackage)
        {
            super(ClassLoader.getPlatformClassLoader());
            this.self = new URLClassLoader(new URL[] {self}, null);
            this.build = new URLClassLoader(new URL[] {build}, null);
            this.ownPackage = ownPackage;
        }

        @Override
        protected Class<?> findClass(final String name) throws ClassNotFoundException
        {
            final URL url = (name.startsWith(ownPackage) ? self : build).getResource(name.replace('.', '/') + ".class");
            if (url == null)
            {
                throw new ClassNotFoundException(name);
            }
            try (var in = url.openStream())
            {
                final byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            }
            catch (final java.io.IOException e)
            {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        protected URL findResource(final String name)
        {
            // fixtures: the running jar's (both builds read the same bytes)
            final URL mine = self.getResource(name);
            return mine != null ? mine : build.getResource(name);
        }
    }
}
