package io.nlstream.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * Base of the benchmarks that open a Chronicle journal: their forked JVMs get the flags Chronicle Queue
 * needs on Java 17 (the parent pom's {@code chronicle.jvm.flags}, bin/lib.sh's NLSTREAM_JVM_FLAGS).
 * An annotation cannot read a Maven property, so the list is repeated here; keep the three in step.
 * JMH's command-line {@code -jvmArgsAppend} replaces this list: add JVM options with
 * {@code -jvmArgsPrepend} instead.
 */
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Dchronicle.announcer.disable=true",
    "-Djvm.resource.tracing=false"})
public abstract class ChronicleBenchmark
{
}
