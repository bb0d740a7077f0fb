using OrdersMail.MailSandbox.Core;

var builder = WebApplication.CreateBuilder(args);
builder.AddMailSandbox();

var app = builder.Build();
app.MapMailSandbox();

await app.RunAsync();
