using System.Net.Http.Json;
using System.Text.Json;

namespace OrdersMail.Integrations.AgentMail.Tests;

/// <summary>
/// An answer past <see cref="AgentMailClient.MaxAnswerBytes"/>: a message of 8 MB of text (anyone can send one to a reply
/// address) is refused at the bound, read no further and not retried, whether AgentMail gives its length up front or not.
/// </summary>
public sealed class LargeAnswer_Specs
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Should_refuse_a_message_answer_past_the_bound_without_reading_it_whole_or_retrying_it(bool lengthGiven)
    {
        var bytesRead = new ReadCount();
        await using var agentMail = await AgentMailHarness.StartAsync(answerRewriter: () => new CountingAnswers(bytesRead, lengthGiven));
        var inbox = await agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);
        var messageId = await CustomerWritesAsync(agentMail, inbox.InboxId, new string('x', 8 * 1024 * 1024));
        bytesRead.Reset();

        var refused = await Assert.ThrowsAsync<AgentMailAnswerTooLargeException>(() => agentMail.Client.GetMessageAsync(inbox.InboxId, messageId, default));

        Assert.Equal(200, refused.StatusCode);
        Assert.Equal(1, agentMail.Requests.To(HttpMethod.Get, $"/messages/{Uri.EscapeDataString(messageId)}"));
        Assert.True(bytesRead.Total <= AgentMailClient.MaxAnswerBytes + (1024 * 1024), $"read {bytesRead.Total} bytes of an answer past the bound");
    }

    [Fact]
    public async Task Should_read_a_message_of_a_megabyte_and_a_half_whole()
    {
        await using var agentMail = await AgentMailHarness.StartAsync();
        var inbox = await agentMail.Client.CreateInboxAsync(AgentMailHarness.NewInbox(), default);
        var text = new string('x', 1536 * 1024);
        var messageId = await CustomerWritesAsync(agentMail, inbox.InboxId, text);

        var message = await agentMail.Client.GetMessageAsync(inbox.InboxId, messageId, default);

        Assert.Equal(text, message?.Text);
    }

    private static async Task<string> CustomerWritesAsync(AgentMailHarness agentMail, string inboxId, string text)
    {
        var response = await agentMail.Sandbox.Http.PostAsJsonAsync(
            $"sandbox/agentmail/inboxes/{Uri.EscapeDataString(inboxId)}/messages",
            new { from = "Jane <jane@customer.example>", subject = "A long letter", text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!;
    }

    private sealed class ReadCount
    {
        private long _total;

        public long Total => Interlocked.Read(ref _total);

        public void Add(int bytes) => Interlocked.Add(ref _total, bytes);

        public void Reset() => Interlocked.Exchange(ref _total, 0);
    }

    // Hands the client the answer as a stream that counts what is read of it, with its Content-Length or without one
    // (as a chunked answer comes), so the client's bound is met while reading.
    private sealed class CountingAnswers(ReadCount count, bool lengthGiven) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var length = response.Content.Headers.ContentLength;
            var contentType = response.Content.Headers.ContentType;
            response.Content = new StreamContent(new CountingStream(await response.Content.ReadAsStreamAsync(cancellationToken), count));
            response.Content.Headers.ContentType = contentType;
            response.Content.Headers.ContentLength = lengthGiven ? length : null;
            return response;
        }
    }

    private sealed class CountingStream(Stream inner, ReadCount count) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count1)
        {
            var read = inner.Read(buffer, offset, count1);
            count.Add(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            count.Add(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count1, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count1), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count1) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
