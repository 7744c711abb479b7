-- Run by tests/neovim.rs as `nvim --headless --clean -c "luafile attach.lua"`, with OBC (the
-- obc binary), CONTRACT (the file to open) and RESULT (where to write what Neovim received) in
-- the environment. Uses only what Neovim 0.7 offers (vim.lsp.start_client), which later
-- versions keep.
local result = io.open(os.getenv("RESULT"), "w")
local function say(line)
  result:write(line, "\n")
  result:flush()
end

vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("CONTRACT")))
local client_id = vim.lsp.start_client({
  name = "obc",
  cmd = { os.getenv("OBC"), "lsp" },
  root_dir = vim.fn.fnamemodify(os.getenv("CONTRACT"), ":h"),
})
if not client_id then
  say("error: the client did not start")
  vim.cmd("qa!")
end
vim.lsp.buf_attach_client(0, client_id)

local received = vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
if not received then
  say("error: no diagnostics within 30 s")
end
local client = vim.lsp.get_client_by_id(client_id)
say("server: " .. ((client and client.server_capabilities and "initialized") or "unknown"))
local diagnostics = vim.diagnostic.get(0)
table.sort(diagnostics, function(a, b)
  return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
end)
for _, d in ipairs(diagnostics) do
  local lsp = d.user_data and d.user_data.lsp or {}
  local code = d.code or lsp.code or "?"
  local severity = vim.diagnostic.severity[d.severity] or tostring(d.severity)
  local first_line = d.message:match("^[^\n]*")
  say(string.format("%d:%d-%d:%d %s %s %s", d.lnum, d.col, d.end_lnum or -1, d.end_col or -1,
    severity, code, first_line))
end

-- The server stops when asked (shutdown, then exit).
vim.lsp.stop_client(client_id)
local stopped = vim.wait(10000, function()
  return vim.lsp.get_client_by_id(client_id) == nil
end, 50)
say("stopped: " .. tostring(stopped))
result:close()
vim.cmd("qa!")
