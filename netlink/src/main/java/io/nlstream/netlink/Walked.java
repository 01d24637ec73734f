package io.nlstream.netlink;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class of {@link AttributePolicy} declarations ({@code static final} fields) whose walks are generated at
 * build time: for a class {@code XPolicies} the build writes {@code XWalk} beside it, with one method per declared
 * field that checks a message's attributes against that policy and records where each one is in a {@link Nest}.
 * <p>
 * The generated walk is what a hand-written one would be, a {@code switch} per nesting level with each type's check
 * inlined as a constant, entering each nest where it meets it; the policy stays data for everything else. When a
 * policy of the class declares a hook ({@link AttributePolicy.Builder#hook}), {@code XWalk} is abstract, with one
 * {@code protected abstract boolean NAME(int payload, int length)} per hook name that the decoder implements in a
 * subclass of its own and the walk calls in the message's order (RouteDecoder's RTA_VIA and RTA_MULTIPATH). The
 * generator is {@code netlink/src/walkgen/java/io/nlstream/netlink/WalkProcessor.java}, run by javac as an
 * annotation processor on the policies compiled just before (netlink/pom.xml). A policies class must not refer to
 * the generated walk or to anything that does: it is compiled on its own first.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Walked
{
}
