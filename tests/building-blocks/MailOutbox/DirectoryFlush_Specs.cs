using OrdersMail.BuildingBlocks.MailOutbox;

namespace OrdersMail.BuildingBlocks.Tests.MailOutbox;

public sealed class DirectoryFlush_Specs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("directory-flush-").FullName;

    [Fact]
    public void Should_flush_a_directory_holding_a_file_just_renamed_into_it()
    {
        var staged = Path.Combine(_root, "staged.json");
        File.WriteAllText(staged, "{}");
        Directory.CreateDirectory(Path.Combine(_root, "email"));
        File.Move(staged, Path.Combine(_root, "email", "staged.json"));

        DirectoryFlush.Flush(Path.Combine(_root, "email"));

        Assert.True(File.Exists(Path.Combine(_root, "email", "staged.json")));
    }

    [Fact]
    public void Should_say_which_directory_could_not_be_flushed_and_why()
    {
        var missing = Path.Combine(_root, "gone");

        var failure = Assert.Throws<IOException>(() => DirectoryFlush.Flush(missing));

        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
