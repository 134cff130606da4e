using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace PodLogs.Runtime.Tests.Harness;

/// <summary>
/// Builds an OCI image layout tar (oci-layout, index.json, blobs/sha256/…) holding images whose only
/// layer is a busybox-static rootfs: <c>/bin/busybox</c> and a link per applet. <c>ctr images import</c>
/// takes it directly, so no dockerd (no <c>docker import</c>/<c>docker save</c>) is needed.
/// </summary>
public static class OciImageBuilder
{
    public const string BusyboxBinary = "/bin/busybox";

    /// <param name="images">Image names (<c>local/busybox:latest</c>) and the CMD of each.</param>
    public static void WriteLayoutTar(string tarPath, IReadOnlyDictionary<string, string[]> images)
    {
        var layer = BuildRootfsLayer();
        var layerDigest = Digest(layer);
        var blobs = new Dictionary<string, byte[]> { [layerDigest] = layer };
        var manifests = new List<object>();
        foreach (var (name, cmd) in images)
        {
            var config = JsonSerializer.SerializeToUtf8Bytes(new
            {
                architecture = GoArch(),
                os = "linux",
                config = new { Cmd = cmd, Env = new[] { "PATH=/bin" } },
                rootfs = new { type = "layers", diff_ids = new[] { layerDigest } },
            });
            var configDigest = Digest(config);
            blobs[configDigest] = config;
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new
            {
                schemaVersion = 2,
                mediaType = "application/vnd.oci.image.manifest.v1+json",
                config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
                layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = layerDigest, size = layer.Length } },
            });
            var manifestDigest = Digest(manifest);
            blobs[manifestDigest] = manifest;
            var tag = name.Contains(':') ? name[(name.LastIndexOf(':') + 1)..] : "latest";
            manifests.Add(new Dictionary<string, object>
            {
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["digest"] = manifestDigest,
                ["size"] = manifest.Length,
                ["annotations"] = new Dictionary<string, string>
                {
                    // containerd's importer names the image from this annotation (a full reference).
                    ["io.containerd.image.name"] = "docker.io/" + name,
                    ["org.opencontainers.image.ref.name"] = tag,
                },
            });
        }
        var index = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, manifests });

        using var file = File.Create(tarPath);
        using var tar = new TarWriter(file, TarEntryFormat.Ustar, leaveOpen: false);
        AddFile(tar, "oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
        AddFile(tar, "index.json", index);
        AddDirectory(tar, "blobs/");
        AddDirectory(tar, "blobs/sha256/");
        foreach (var (digest, content) in blobs) AddFile(tar, "blobs/sha256/" + digest["sha256:".Length..], content);
    }

    static byte[] BuildRootfsLayer()
    {
        if (!File.Exists(BusyboxBinary))
            throw new InvalidOperationException($"{BusyboxBinary} is missing: install busybox-static (apt-get install busybox-static) to build the test images.");
        var applets = ProcessRunner.Run(BusyboxBinary, ["--list"], TimeSpan.FromSeconds(10)).EnsureSuccess().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "busybox" && !a.Contains('/')).Order(StringComparer.Ordinal).ToArray();
        using var ms = new MemoryStream();
        using (var tar = new TarWriter(ms, TarEntryFormat.Ustar, leaveOpen: true))
        {
            AddDirectory(tar, "bin/");
            AddDirectory(tar, "tmp/", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
            AddFile(tar, "bin/busybox", File.ReadAllBytes(BusyboxBinary), Executable);
            foreach (var applet in applets)
                tar.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox", ModificationTime = Epoch, Mode = Executable });
        }
        return ms.ToArray();
    }

    static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;
    const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    static void AddDirectory(TarWriter tar, string name, UnixFileMode mode = Executable) =>
        tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = Epoch });

    static void AddFile(TarWriter tar, string name, byte[] content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead) =>
        tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content), Mode = mode, ModificationTime = Epoch });

    static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    static string GoArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        var other => throw new PlatformNotSupportedException($"No OCI architecture name for {other}."),
    };
}
