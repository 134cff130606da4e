using PodLogs.Core.Logs;
using PodLogs.Core.Reading;

namespace PodLogs.Core.Tests;

/// <summary>-LimitBytes: what kubectl prints (message and newline) per container, over history and follow alike.</summary>
public sealed class ByteBudgetTests
{
    static readonly ContainerLogOrigin Source = new("ns", "p", FakeNode.Uid1, "c", 0, null);

    static LogLine Line(string message) => new(DateTimeOffset.UnixEpoch, "1970-01-01T00:00:00Z", LogStream.Stdout, message, "f", 0);

    [Fact]
    public void Lines_are_returned_while_message_and_newline_fit_and_none_after_the_first_that_does_not()
    {
        var budget = new ByteBudget(9); // "abc\n" + "é\n" (UTF-8: 3 bytes) = 7; "xyz\n" would make 11

        var lines = budget.Limit([Line("abc"), Line("é"), Line("xyz"), Line("")], Source).Select(l => l.Message).ToList();

        Assert.Equal(["abc", "é"], lines);
        Assert.True(budget.Spent);
    }

    [Fact]
    public void One_budget_spans_two_reads_of_the_same_container()
    {
        var budget = new ByteBudget(4);

        Assert.Equal(["abc"], budget.Limit([Line("abc")], Source).Select(l => l.Message));
        Assert.True(budget.Spent);
        Assert.Empty(budget.Limit([Line("")], Source));
    }

    [Fact]
    public void A_line_that_fills_the_budget_exactly_is_returned_and_no_limit_is_no_limit()
    {
        Assert.Single(new ByteBudget(4).Limit([Line("abc"), Line("d")], Source));
        var unlimited = ByteBudget.Of(null);
        Assert.Equal(1000, unlimited.Limit(Enumerable.Range(0, 1000).Select(i => Line(new string('x', 1000))), Source).Count());
        Assert.False(unlimited.Spent);
        Assert.Equal(("p", "c"), ByteBudget.Of(10).Limit([Line("a")], Source).Select(l => (l.PodName, l.ContainerName)).Single());
    }
}
