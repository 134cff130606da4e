using System.Globalization;
using System.Management.Automation;
using PodLogs.Core.Metrics;

namespace PodLogs.Commands;

/// <summary>A piped object read by its property names: the module's record, a Select-Object copy, or what Import-Clixml or remoting made of it.</summary>
sealed class PSObjectFields(PSObject item) : IRecordFields
{
    public bool Has(string name) => item.Properties[name] is not null;

    public string? Text(string name) => item.Properties[name]?.Value switch
    {
        null => null,
        // A deserialized enum is a bag whose text is the enum's name.
        PSObject o => o.ToString(),
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    public long? Number(string name)
    {
        var value = item.Properties[name]?.Value;
        if (value is null) return null;
        if (LanguagePrimitives.TryConvertTo<long>(value, CultureInfo.InvariantCulture, out var n)) return n;
        return LanguagePrimitives.TryConvertTo<ulong>(value, CultureInfo.InvariantCulture, out var u) ? unchecked((long)u) : null;
    }
}
