namespace PodLogs.Core.Metrics;

/// <summary>
/// A record read by its property names, whatever carried it: the module's own object, or the property bag Export-Clixml,
/// a job or remoting made of it (fleet-conventions.md: bind by property name, not by .NET type).
/// </summary>
public interface IRecordFields
{
    bool Has(string name);
    /// <summary>The property's text (an enum's name), null when absent or null.</summary>
    string? Text(string name);
    /// <summary>The property as a whole number, null when absent, null or not a number.</summary>
    long? Number(string name);
}
