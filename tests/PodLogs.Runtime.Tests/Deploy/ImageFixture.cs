using PodLogs.Runtime.Tests.Harness;

namespace PodLogs.Runtime.Tests.Deploy;

/// <summary>
/// The PodLogs image built from deploy/Dockerfile by deploy/build-image.ps1 (what <c>build.ps1 Image</c> runs) in a real
/// dockerd of the test's own, on <see cref="PwshBaseImage"/>, with the module build.ps1 published (out/PodLogs, or
/// PODLOGS_MODULE). Containers are run with the docker CLI, as an operator would.
/// </summary>
public sealed class ImageFixture : DockerNode
{
    public const string Tag = "local/podlogs:test";
    static readonly TimeSpan Slow = TimeSpan.FromMinutes(5);

    public ImageFixture()
    {
        try
        {
            ModulePath = Environment.GetEnvironmentVariable("PODLOGS_MODULE") is { Length: > 0 } m ? m : Path.Join(Repository.Root, "out", "PodLogs");
            var manifest = Path.Join(ModulePath, "PodLogs.psd1");
            if (!File.Exists(manifest))
                throw new InvalidOperationException($"No published module at {ModulePath}: run 'dotnet pwsh ./build.ps1 Build' first (build.ps1 Test does).");
            PwshBaseImage.Import(Docker, Node.Scratch("pwsh-base"));
            var dotnet = ProcessRunner.Which("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH.");
            var build = ProcessRunner.Run(dotnet,
                ["pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Join(Repository.Root, "deploy", "build-image.ps1"),
                 "-ModulePath", ModulePath, "-Context", Node.Scratch("image-context"), "-BaseImage", PwshBaseImage.Name, "-Tag", Tag],
                Slow, DockerEnvironment, workingDirectory: Repository.Root);
            BuildLog = build.Stdout + build.Stderr;
            build.EnsureSuccess();
            BaseSize = Docker.Client.Images.InspectImageAsync(PwshBaseImage.Name).GetAwaiter().GetResult().Size;
            ImageSize = Docker.Client.Images.InspectImageAsync(Tag).GetAwaiter().GetResult().Size;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string ModulePath { get; }
    public string BuildLog { get; } = "";
    public long BaseSize { get; }
    public long ImageSize { get; }

    IReadOnlyDictionary<string, string?> DockerEnvironment => new Dictionary<string, string?> { ["DOCKER_HOST"] = Docker.Endpoint };

    /// <summary>The docker CLI against this fixture's daemon.</summary>
    public ProcessResult Cli(params string[] arguments) =>
        ProcessRunner.Run(ProcessRunner.Which("docker") ?? throw new InvalidOperationException("The docker CLI is not installed (apt package docker.io)."),
            arguments, Slow, DockerEnvironment);
}
