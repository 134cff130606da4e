namespace PodLogs.Runtime.Tests.Harness;

/// <summary>The repository this suite was built from (the directory holding PodLogs.sln).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PodLogs.sln"))) return dir.FullName;
        throw new InvalidOperationException("PodLogs.sln not found above " + AppContext.BaseDirectory);
    }
}
