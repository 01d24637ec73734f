package io.nlstream.netlink;

/**
 * Policies for {@link GeneratedWalkTest}: the build generates WalkTestWalk from them as it generates the decoders'
 * walks (the walkgen execution compiles every *Policies.java, the test ones too, and the test compile runs the
 * generator).
 */
@Walked
final class WalkTestPolicies
{
    static final AttributePolicy INNER = AttributePolicy.level("INNER").u8(1).be16(2).build();
    static final AttributePolicy CHECKED_INNER = AttributePolicy.level("CHECKED").u32(1).build();
    static final AttributePolicy TOP = AttributePolicy.level("TOP")
        .u32(1)
        .nulString(2)
        .nested(INNER, 3)
        .checked(CHECKED_INNER, 4)
        .exact(5, 6, "five is six bytes")
        .binary(6, 2, 4, "six is 2 to 4 bytes")
        .any(7)
        .flag(8)
        .checked(null, 9)
        .u64(33)
        .build();

    private WalkTestPolicies()
    {
    }
}
