-- nvim_test.lua — headless Neovim (Debian's 0.7.2) with editors/nvim/lua/fix_lsp.lua: opens a
-- broken C file, waits for fix's diagnostics, picks "Fix with AI" from vim.lsp.buf.code_action()
-- (resolved lazily through codeAction/resolve) for one error, which leaves the other alone; saves,
-- picks the compiler's fix-it for the other, and writes the fixed buffer.
-- Environment: FIX_BIN, FIX_REPLAY, FIX_FILE, FIX_EDITORS (the editors/ directory).
local function fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

vim.opt.runtimepath:append(os.getenv('FIX_EDITORS') .. '/nvim')
require('fix_lsp').setup({
  cmd = { os.getenv('FIX_BIN'), 'lsp', '--replay', os.getenv('FIX_REPLAY'), '--candidates', '1' },
})
vim.cmd('edit ' .. os.getenv('FIX_FILE'))
local bufnr = vim.api.nvim_get_current_buf()

local ok = vim.wait(20000, function()
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'fix' and c.initialized then return true end
  end
  return false
end, 50)
if not ok then return fail('the fix client did not start') end
for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
  if c.offset_encoding ~= 'utf-8' then return fail('expected utf-8 positions, got ' .. tostring(c.offset_encoding)) end
end

local diags
ok = vim.wait(20000, function()
  diags = vim.diagnostic.get(bufnr, { severity = vim.diagnostic.severity.ERROR })
  return #diags >= 2
end, 50)
if not ok then return fail('no diagnostics arrived') end
local target
for _, d in ipairs(diags) do
  if d.message:match('too few arguments') then target = d end
end
if not target then return fail('no "too few arguments" diagnostic') end
-- the typo on the line with é € 😀: its byte column must point at the identifier
for _, d in ipairs(diags) do
  if d.message:match('cuont') then
    local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1]
    if line:sub(d.col + 1, d.col + 5) ~= 'cuont' then
      return fail('diagnostic column ' .. d.col .. ' does not point at cuont in: ' .. line)
    end
  end
end

vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
local offered = {}
vim.ui.select = function(items, _, on_choice)
  for _, item in ipairs(items) do
    table.insert(offered, item[2].title)
  end
  for _, item in ipairs(items) do
    if item[2].title == 'Fix with AI' then return on_choice(item) end
  end
  on_choice(nil)
end
vim.lsp.buf.code_action()

ok = vim.wait(20000, function()
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  return text:find('add(count, 0)', 1, true) ~= nil
end, 50)
if not ok then return fail('the buffer was not fixed; actions offered: ' .. table.concat(offered, ' | ')) end
-- the repair is scoped to the chosen error: the typo is still there, with its own fix-it
local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
if not text:find('cuont', 1, true) then return fail('"Fix with AI" changed more than the chosen error') end
vim.cmd('write')
local typo
ok = vim.wait(20000, function()
  typo = nil
  local few = false
  for _, d in ipairs(vim.diagnostic.get(bufnr, { severity = vim.diagnostic.severity.ERROR })) do
    if d.message:match('cuont') then typo = d end
    if d.message:match('too few arguments') then few = true end
  end
  return typo ~= nil and not few
end, 50)
if not ok then return fail('no fresh diagnostics after the save') end
vim.api.nvim_win_set_cursor(0, { typo.lnum + 1, typo.col })
offered = {}
vim.ui.select = function(items, _, on_choice)
  for _, item in ipairs(items) do
    table.insert(offered, item[2].title)
  end
  for _, item in ipairs(items) do
    if item[2].title:match('^Apply fix%-it') then return on_choice(item) end
  end
  on_choice(nil)
end
vim.lsp.buf.code_action()
ok = vim.wait(20000, function()
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n'):find(', count);', 1, true) ~= nil
end, 50)
if not ok then return fail('the fix-it was not applied; actions offered: ' .. table.concat(offered, ' | ')) end
vim.cmd('write')
vim.cmd('qall!')
