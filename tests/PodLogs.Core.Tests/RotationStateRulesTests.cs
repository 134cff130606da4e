namespace PodLogs.Core.Tests;

public sealed class RotationStateRulesTests
{
    [Theory]
    [InlineData(RotationState.OverLimit, true)]
    [InlineData(RotationState.TooManyFiles, true)]
    [InlineData(RotationState.NotRotated, true)]
    [InlineData(RotationState.WithinLimit, false)]
    [InlineData(RotationState.Exited, false)]
    public void A_rotation_is_stuck_when_its_owner_does_not_keep_the_log_within_its_limits(RotationState state, bool stuck) =>
        Assert.Equal(stuck, RotationStateRules.IsStuck(state));

    [Fact]
    public void Nothing_measured_is_not_stuck() => Assert.False(RotationStateRules.IsStuck(null));

    [Fact]
    public void Every_state_is_decided() =>
        Assert.Equal(5, Enum.GetValues<RotationState>().Length);   // a new state needs a row above and a decision in IsStuck
}
