namespace PodLogs.TestKubeApi;

/// <summary>
/// What the authorizer denies. Everything is allowed to an authenticated user unless a rule
/// forbids it; "*" matches any user, verb or resource.
/// </summary>
internal sealed class AccessRules
{
    readonly object gate = new();
    readonly List<(string User, string Verb, string Resource)> forbidden = [];

    public void Forbid(string user, string verb, string resource)
    {
        lock (gate) forbidden.Add((user, verb, resource));
    }

    public bool IsForbidden(string user, string verb, string resource)
    {
        lock (gate)
            return forbidden.Any(r => Matches(r.User, user) && Matches(r.Verb, verb) && Matches(r.Resource, resource));
    }

    static bool Matches(string rule, string value) => rule == "*" || rule == value;
}
