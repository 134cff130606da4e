using System.Runtime.InteropServices;
using System.Text.Json;

namespace PodLogs.Runtime.Tests.Harness;

/// <summary>
/// A PowerShell base image made here, as image registries are not reachable (issue #14 item 3): the Debian packages the
/// .NET runtime needs (<c>apt-get download</c>, cached under out/image-base/debs, unpacked with <c>dpkg-deb</c> into a
/// merged-/usr rootfs), the .NET runtime this suite runs on (only <c>dotnet</c>, <c>host/fxr</c> and
/// <c>shared/Microsoft.NETCore.App/&lt;version&gt;</c>, not the SDK) at /usr/share/dotnet, where pwsh's apphost looks by
/// default, and pwsh from the repository's dotnet tool package (dotnet-tools.json) at /opt/microsoft/powershell/7 with
/// /usr/bin/pwsh linking to it — the layout of Microsoft's images. No shell: the Dockerfile runs nothing in the base.
/// Imported with <c>docker import</c> (the Engine API's image create from a tar) into the test's own dockerd.
/// </summary>
public static class PwshBaseImage
{
    public const string Name = "local/pwsh-base:test";

    /// <summary>
    /// What the .NET runtime and pwsh load (docs.microsoft.com's .NET dependencies on Debian): glibc, libgcc, libstdc++,
    /// zlib, ICU (globalization), OpenSSL (TLS to the API server) with the CA certificates, and tzdata (time zones).
    /// dpkg-query patterns, resolved to the packages installed here (the ICU and OpenSSL package names carry versions).
    /// </summary>
    static readonly string[] PackagePatterns = ["libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libicu[0-9]*", "libssl3*", "ca-certificates", "tzdata"];

    static readonly TimeSpan Slow = TimeSpan.FromMinutes(5);

    /// <summary>Builds the rootfs under <paramref name="scratch"/> and imports it as <see cref="Name"/>.</summary>
    public static void Import(DockerDaemon docker, string scratch)
    {
        var rootfs = Path.Join(scratch, "rootfs");
        if (Directory.Exists(rootfs)) Directory.Delete(rootfs, recursive: true);
        Directory.CreateDirectory(rootfs);
        // Merged /usr, as Debian 12 and Microsoft's images have it: /lib64/ld-linux-x86-64.so.2 and /usr/lib/… both resolve.
        foreach (var dir in new[] { "bin", "sbin", "lib", "lib64" })
        {
            Directory.CreateDirectory(Path.Join(rootfs, "usr", dir));
            File.CreateSymbolicLink(Path.Join(rootfs, dir), "usr/" + dir);
        }
        foreach (var deb in DownloadPackages())
            // --keep-directory-symlink keeps the merged-/usr links that libc6's ./lib/… entries would otherwise replace.
            ProcessRunner.Run("bash", ["-c", "set -o pipefail; dpkg-deb --fsys-tarfile \"$1\" | tar -x --keep-directory-symlink -C \"$2\"", "unpack", deb, rootfs], Slow).EnsureSuccess();
        foreach (var docs in new[] { "usr/share/doc", "usr/share/man", "usr/share/lintian" })
            if (Directory.Exists(Path.Join(rootfs, docs))) Directory.Delete(Path.Join(rootfs, docs), recursive: true);

        AddDotnetRuntime(rootfs);
        var pwshHome = Path.Join(rootfs, "opt/microsoft/powershell/7");
        Directory.CreateDirectory(Path.GetDirectoryName(pwshHome)!);
        ProcessRunner.Run("cp", ["-a", PwshToolDirectory(), pwshHome], Slow).EnsureSuccess();
        File.CreateSymbolicLink(Path.Join(rootfs, "usr/bin/pwsh"), "../../opt/microsoft/powershell/7/pwsh");

        // What ca-certificates' update-ca-certificates and base-files would have made, were maintainer scripts run.
        var certs = Directory.GetFiles(Path.Join(rootfs, "usr/share/ca-certificates"), "*.crt", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        Directory.CreateDirectory(Path.Join(rootfs, "etc/ssl/certs"));
        File.WriteAllText(Path.Join(rootfs, "etc/ssl/certs/ca-certificates.crt"), string.Concat(certs.Select(File.ReadAllText)));
        File.WriteAllText(Path.Join(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Join(rootfs, "etc/group"), "root:x:0:\n");
        Directory.CreateDirectory(Path.Join(rootfs, "root"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var tmp = Directory.CreateDirectory(Path.Join(rootfs, "tmp"));
        tmp.UnixFileMode = (UnixFileMode)Convert.ToInt32("1777", 8);

        var tar = Path.Join(scratch, "pwsh-base.tar");
        ProcessRunner.Run("tar", ["--numeric-owner", "-C", rootfs, "-cf", tar, "."], Slow).EnsureSuccess();
        using (var stream = File.OpenRead(tar))
            docker.Client.Images.CreateImageAsync(
                new global::Docker.DotNet.Models.ImagesCreateParameters
                {
                    FromSrc = "-", Repo = Name[..Name.LastIndexOf(':')], Tag = Name[(Name.LastIndexOf(':') + 1)..],
                    Changes = ["ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                },
                stream, null, new Progress<global::Docker.DotNet.Models.JSONMessage>()).GetAwaiter().GetResult();
        File.Delete(tar);
        Directory.Delete(rootfs, recursive: true);
    }

    /// <summary>The .debs of <see cref="PackagePatterns"/>, downloaded once into out/image-base/debs.</summary>
    static IReadOnlyList<string> DownloadPackages()
    {
        var cache = Path.Join(Repository.Root, "out", "image-base", "debs");
        Directory.CreateDirectory(cache);
        var installed = ProcessRunner.Run("dpkg-query", ["-W", "-f", "${db:Status-Abbrev}${Package}\\n", .. PackagePatterns], TimeSpan.FromSeconds(30)).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("ii ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var pattern in PackagePatterns)
            if (!installed.Any(p => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern.Replace("[0-9]", ""), p)))
                throw new InvalidOperationException($"No installed Debian package matches '{pattern}': the image test builds its base from the packages the .NET runtime here uses.");
        string? Cached(string package) => Directory.GetFiles(cache, package + "_*.deb").Order(StringComparer.Ordinal).LastOrDefault();
        var missing = installed.Where(p => Cached(p) is null).ToList();
        if (missing.Count > 0)
        {
            // Read-only use of this machine's apt lists: no package cache written outside out/, downloads as root into out/.
            var result = ProcessRunner.Run("apt-get",
                ["download", "-q", "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=", "-o", "APT::Sandbox::User=root", .. missing],
                Slow, workingDirectory: cache);
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"apt-get download {string.Join(' ', missing)} failed ({result.ExitCode}): {result.Stderr.Trim()} " +
                    "The image test fetches the Debian packages of its base image once (cached in out/image-base/debs); run 'apt-get update' if apt knows none of them.");
        }
        return installed.Select(p => Cached(p) ?? throw new InvalidOperationException($"apt-get download wrote no .deb for {p} into {cache}.")).ToList();
    }

    static void AddDotnetRuntime(string rootfs)
    {
        // This suite runs on the shared runtime of the dotnet that runs pwsh here: …/shared/Microsoft.NETCore.App/<version>/.
        var runtime = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
        var dotnetRoot = Path.GetFullPath(Path.Join(runtime, "..", "..", ".."));
        var target = Path.Join(rootfs, "usr/share/dotnet");
        Directory.CreateDirectory(Path.Join(target, "host"));
        Directory.CreateDirectory(Path.Join(target, "shared", "Microsoft.NETCore.App"));
        ProcessRunner.Run("cp", ["-a", Path.Join(dotnetRoot, "dotnet"), target], Slow).EnsureSuccess();
        ProcessRunner.Run("cp", ["-a", Path.Join(dotnetRoot, "host", "fxr"), Path.Join(target, "host")], Slow).EnsureSuccess();
        ProcessRunner.Run("cp", ["-a", runtime, Path.Join(target, "shared", "Microsoft.NETCore.App")], Slow).EnsureSuccess();
    }

    /// <summary>pwsh of the dotnet tool package dotnet-tools.json names, as <c>dotnet tool restore</c> left it in the NuGet cache.</summary>
    static string PwshToolDirectory()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Join(Repository.Root, "dotnet-tools.json")));
        var version = manifest.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = Path.Join(packages, "powershell", version, "tools");
        var unix = Directory.Exists(tools) ? Directory.GetDirectories(tools).Select(tfm => Path.Join(tfm, "any", "unix")).FirstOrDefault(Directory.Exists) : null;
        return unix ?? throw new InvalidOperationException($"pwsh {version} is not in {tools}: run 'dotnet tool restore' in the repository first.");
    }
}
