var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/alive", () => "ok");
app.Run();

public partial class Program;
