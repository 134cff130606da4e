using PodLogs.Core.Inspection;

namespace PodLogs.Core.Tests;

/// <summary>Issue #10 item 2: every value without wildcards that matched nothing is one SelectionNotFound error.</summary>
public sealed class SelectionTallyTests
{
    static SelectionValue Name(SelectionParameter p, string value) =>
        new(p, value, value.Contains('*'), v => value.EndsWith('*') ? v.StartsWith(value.TrimEnd('*'), StringComparison.Ordinal) : v == value);

    [Fact]
    public void A_value_that_matched_nothing_is_one_error_naming_parameter_and_value()
    {
        var tally = new SelectionTally([Name(SelectionParameter.PodName, "web-1"), Name(SelectionParameter.PodName, "web-2")]);
        tally.ObservePod("default", "web-1", "u1");
        var failure = Assert.Single(tally.Failures());
        Assert.Equal("SelectionNotFound", failure.ErrorId);
        Assert.Equal(FailureCategory.ObjectNotFound, failure.Category);
        Assert.Equal("web-2", failure.TargetPath);
        Assert.Contains("-PodName 'web-2'", failure.Message);
    }

    [Fact]
    public void A_wildcard_that_matched_nothing_is_silent()
    {
        var tally = new SelectionTally([Name(SelectionParameter.Namespace, "nosuch-*")]);
        Assert.False(tally.HasUnmatched);
        Assert.Empty(tally.Failures());
    }

    [Fact]
    public void A_pod_counts_for_pod_values_only_and_an_entry_for_both()
    {
        var tally = new SelectionTally([Name(SelectionParameter.PodName, "web-1"), Name(SelectionParameter.ContainerName, "app"), SelectionValue.ContainerIdPrefix("docker://abc", "abc")]);
        tally.ObservePod("default", "web-1", "u1");
        Assert.False(tally.HasUnmatchedPodValues);
        Assert.Equal(["app", "docker://abc"], tally.Failures().Select(f => f.TargetPath));
        tally.Observe("default", "web-1", "u1", "app", "abcdef");
        Assert.Empty(tally.Failures());
    }

    [Fact]
    public void While_a_pod_value_selected_nothing_container_values_are_not_judged()
    {
        var tally = new SelectionTally([SelectionValue.Uid("0000"), Name(SelectionParameter.ContainerName, "app")]);
        Assert.Equal(["0000"], tally.Failures().Select(f => f.TargetPath));
    }

    [Fact]
    public void Values_that_each_exist_on_the_node_but_not_together_are_named_as_a_combination()
    {
        var tally = new SelectionTally([Name(SelectionParameter.Namespace, "kube-system"), Name(SelectionParameter.PodName, "web-1")]);
        tally.ObservePodOnNode("kube-system", "coredns", "u1");
        tally.ObservePodOnNode("default", "web-1", "u2");
        var failures = tally.Failures();
        Assert.Equal(["kube-system", "web-1"], failures.Select(f => f.TargetPath));
        Assert.Contains("matches pods on the node, but none together with -PodName 'web-1'", failures[0].Message);
    }

    [Fact]
    public void Of_the_pod_values_only_those_absent_from_the_node_are_named()
    {
        var tally = new SelectionTally([Name(SelectionParameter.Namespace, "kube-system"), SelectionValue.Uid("0000")]);
        tally.ObservePodOnNode("kube-system", "coredns", "u1");
        Assert.Equal(["0000"], tally.Failures().Select(f => f.TargetPath));
    }

    [Fact]
    public void A_container_id_matches_as_a_prefix_and_is_named_as_given()
    {
        var tally = new SelectionTally([SelectionValue.ContainerIdPrefix("containerd://ABC", "abc")]);
        tally.Observe("ns", "p", "u", "c", "abd0");
        Assert.Equal("containerd://ABC", Assert.Single(tally.Failures()).TargetPath);
        tally.Observe("ns", "p", "u", "c", "abc0");
        Assert.Empty(tally.Failures());
    }

    [Fact]
    public void A_value_that_exists_alone_but_not_with_a_pattern_is_silent_as_the_pattern_is()
    {
        // Get-PodLogDirectory -Namespace kube-system -PodName 'log-*': kube-system has pods, none named log-*.
        var tally = new SelectionTally([Name(SelectionParameter.Namespace, "kube-system"), Name(SelectionParameter.PodName, "log-*")]);
        tally.ObservePodOnNode("kube-system", "coredns-1", "u1");
        tally.ObservePodOnNode("default", "log-forger", "u2");
        Assert.Empty(tally.Failures());
        // Two exact values that exist alone but never together are named.
        var exact = new SelectionTally([Name(SelectionParameter.Namespace, "kube-system"), Name(SelectionParameter.PodName, "log-forger")]);
        exact.ObservePodOnNode("kube-system", "coredns-1", "u1");
        exact.ObservePodOnNode("default", "log-forger", "u2");
        Assert.Equal(2, exact.Failures().Count);
    }

    [Fact]
    public void A_container_value_is_not_judged_when_a_pattern_selected_no_pod()
    {
        var tally = new SelectionTally([Name(SelectionParameter.PodName, "nosuch-*"), Name(SelectionParameter.ContainerName, "app")]);
        Assert.Empty(tally.Failures());
        var selected = new SelectionTally([Name(SelectionParameter.PodName, "web-*"), Name(SelectionParameter.ContainerName, "app")]);
        selected.ObservePod("default", "web-1", "u1");
        Assert.Equal("app", Assert.Single(selected.Failures()).TargetPath);
    }

    [Fact]
    public void A_full_id_matches_the_prefix_a_cut_legacy_link_name_kept()
    {
        var full = new string('9', 64);
        var tally = new SelectionTally([SelectionValue.ContainerIdPrefix("containerd://" + full, full)]);
        tally.Observe(new ContainerLogLink { FullName = "/n/x.log", NodePath = "/x.log", ContainerId = full[..10], IsTruncated = true });
        Assert.Empty(tally.Failures());
    }
}
