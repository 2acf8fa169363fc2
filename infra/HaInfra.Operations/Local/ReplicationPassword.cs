namespace HaInfra.Operations.Local;

/// <summary>The local target's generated passwords and keys: created once, kept in the state directory's secrets/
/// (mode 0700, files 0600), never printed.</summary>
public static class ReplicationPassword
{
    public static Secret LoadOrCreate(LocalPaths paths) => LoadOrCreate(paths, paths.ReplicationPasswordFile);

    public static Secret LoadOrCreate(LocalPaths paths, string file)
    {
        if (File.Exists(file))
        {
            return new Secret(File.ReadAllText(file).Trim());
        }

        var secret = Secret.Generate();
        WritePrivate(paths, file, secret.Reveal());
        return secret;
    }

    /// <summary>Writes a file only its owner can read, creating it with that mode before any byte is written.</summary>
    public static void WritePrivate(LocalPaths paths, string file, string text)
    {
        Directory.CreateDirectory(paths.SecretsDir);
        File.SetUnixFileMode(paths.SecretsDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = file + ".tmp";
        using (File.Create(temp))
        {
        }

        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(temp, text);
        File.Move(temp, file, overwrite: true);
    }
}
