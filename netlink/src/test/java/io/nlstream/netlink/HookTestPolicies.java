package io.nlstream.netlink;

/**
 * Policies with hooks, for {@link GeneratedWalkTest}: their walk (HookTestWalk) is generated abstract, with one
 * method per hook name ({@code run}, {@code inner}), which the test implements.
 */
@Walked
final class HookTestPolicies
{
    static final AttributePolicy INNER = AttributePolicy.level("HOOK INNER")
        .u8(1)
        .hook(2, 1, 8, "two is 1 to 8 bytes", "inner")
        .build();
    static final AttributePolicy CHECKED_INNER = AttributePolicy.level("HOOK CHECKED")
        .hook(1, 0, 0xFFFF, null, "inner")
        .build();
    static final AttributePolicy TOP = AttributePolicy.level("HOOKS")
        .u32(1)
        .hook(2, 4, 0xFFFF, "two is at least 4 bytes", "run")
        .nested(INNER, 3)
        .checked(CHECKED_INNER, 4)
        // the same hook at another type: one method
        .hook(5, 0, 0xFFFF, null, "run")
        .build();

    private HookTestPolicies()
    {
    }
}
