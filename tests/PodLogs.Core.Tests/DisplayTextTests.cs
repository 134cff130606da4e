using PodLogs.Core.Inspection;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Tests;

/// <summary>Names, labels and targets from the node are escaped in human-facing text, kept as they are in data (issue #11 item 8).</summary>
public sealed class DisplayTextTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    // No NUL: a name or target cannot hold one (the unit test below covers it).
    const string Hostile = "x\n\u001b[31mFORGED\u007f\u0085\u202e";
    const string Shown = "x\\n\\x1b[31mFORGED\\x7f\\x85\\u202e";

    static FakeContainer Web(int attempt = 0) => new("default", "web-0", FakeNode.Uid1, "nginx", attempt, FakeNode.Id("web" + attempt));

    static void AssertPrintable(string text)
    {
        Assert.DoesNotContain(text, c => char.IsControl(c) || c == '\u202e');
    }

    [Fact]
    public void Escape_writes_control_characters_as_visible_escapes_and_leaves_other_text_alone()
    {
        Assert.Equal(Shown, DisplayText.Escape(Hostile));
        Assert.Equal("a\\0b", DisplayText.Escape("a\u0000b"));
        Assert.Equal("a\\tb\\r", DisplayText.Escape("a\tb\r"));
        Assert.Equal("name \\xff", DisplayText.Escape("name \udcff"));
        const string plain = "caf\u00e9 \U0001F600 /var/log/pods/default_web-0_uid/nginx/0.log";
        Assert.Same(plain, DisplayText.Escape(plain));
    }

    [Fact]
    public void A_link_target_with_control_characters_is_escaped_in_Reason_and_kept_in_Target()
    {
        var c = _node.Docker(Web());
        var target = "/var/lib/docker/containers/" + Hostile;
        _node.PodLogLink(c, target);
        _node.LegacyLink(c);

        var i = _node.Inspect();

        var r = i.At(c.PodLogFile);
        Assert.Equal(target, r.Target);
        Assert.Contains(Shown, r.Reason);
        AssertPrintable(r.Reason);
    }

    [Fact]
    public void A_label_with_control_characters_is_escaped_in_Reason()
    {
        var c = _node.Docker(Web() with { LogPathLabel = "/var/log/pods/" + Hostile });
        _node.Mkdir(c.PodDirectory);

        var i = _node.Inspect();

        var r = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Missing, r.Status);
        Assert.Contains(Shown, r.Reason);
        AssertPrintable(r.Reason);
    }

    [Fact]
    public void A_name_with_control_characters_is_escaped_in_errors_and_kept_in_TargetPath()
    {
        _node.Healthy(Web());
        var name = "default_" + Hostile + "_" + FakeNode.Uid2;
        _node.Mkdir(NodePath.Combine(FakeNode.PodLogs, name));

        var i = _node.Inspect();

        var error = Assert.Single(i.Reporter.Errors);
        Assert.Equal("PodDirectoryNotRecognized", error.ErrorId);
        Assert.Equal(_node.Local(FakeNode.PodLogs + "/" + name), error.TargetPath);
        Assert.Contains(Shown, error.Message);
        AssertPrintable(error.Message);
        AssertPrintable(new PodLogsException(error.ErrorId, error.Category, "at " + name, error.TargetPath).Message);
    }

    [Fact]
    public void A_repair_refusal_escapes_the_names_it_gives()
    {
        var c = _node.Docker(Web() with { LogPathLabel = "/var/log/pods/" + Hostile });
        _node.Mkdir(c.PodDirectory);

        var r = _node.Repair(force: true);

        Assert.All(r.Plan.Refusals, f => AssertPrintable(f.Message));
        Assert.All(r.Reporter.Errors, f => AssertPrintable(f.Message));
        Assert.All(r.Reporter.Warnings, AssertPrintable);
    }

    [Fact]
    public void A_repair_asks_about_a_hostile_current_target_escaped()
    {
        var c = _node.Docker(Web());
        _node.PodLogLink(c, "/var/lib/docker/containers/" + Hostile);
        _node.LegacyLink(c);

        var r = _node.Repair();

        var (_, action) = Assert.Single(r.Asked);
        Assert.Contains(Shown, action);
        AssertPrintable(action);
        Assert.Equal(c.JsonLog, _node.ReadLink(c.PodLogFile));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData(0L, "0")]
    [InlineData(1023L, "1023")]
    [InlineData(12288L, "12Ki")]
    [InlineData(1572864L, "1.5Mi")]
    [InlineData(2147483648L, "2.0Gi")]
    public void Sizes_are_shown_in_binary_units_as_every_view_shows_them(long? bytes, string shown)
    {
        using var _ = new CultureScope("en-US");
        Assert.Equal(shown, DisplayText.Size(bytes));
    }

    sealed class CultureScope : IDisposable
    {
        readonly System.Globalization.CultureInfo _was = System.Globalization.CultureInfo.CurrentCulture;
        public CultureScope(string name) => System.Globalization.CultureInfo.CurrentCulture = new(name);
        public void Dispose() => System.Globalization.CultureInfo.CurrentCulture = _was;
    }
}
