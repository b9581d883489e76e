-- fix_lsp.lua — fix's language server in Neovim 0.7+ with the built-in client (no plugins).
--
--   vim.opt.runtimepath:append('/path/to/fix/editors/nvim')
--   require('fix_lsp').setup({ init_options = { backend = 'ollama', model = 'qwen2.5-coder:7b' } })
--
-- Diagnostics appear on open and save; `vim.lsp.buf.code_action()` on an error offers
-- "Fix with AI" (and the compiler's own fix-its); :FixWithAI runs it directly.
local M = {}

local defaults = {
  cmd = { 'fix', 'lsp' },
  filetypes = { 'c', 'cpp', 'rust' },
  init_options = {},           -- fix settings: backend, model, base_url, candidates, ...
  root_markers = { '.git', 'compile_commands.json', 'Cargo.toml' },
}

local cfg = vim.deepcopy(defaults)
local clients = {}             -- project root -> client id

local function root_of(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  for _, marker in ipairs(cfg.root_markers) do
    local d = vim.fn.finddir(marker, dir .. ';')
    if d ~= '' then return vim.fn.fnamemodify(d, ':p:h:h') end
    local f = vim.fn.findfile(marker, dir .. ';')
    if f ~= '' then return vim.fn.fnamemodify(f, ':p:h') end
  end
  return dir
end

function M.attach(bufnr)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then return end
  local root = root_of(path)
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    local caps = vim.lsp.protocol.make_client_capabilities()
    -- offer UTF-8 positions (clangd's extension, which fix understands) and adopt the answer
    caps.offsetEncoding = { 'utf-8', 'utf-16' }
    id = vim.lsp.start_client({
      name = 'fix',
      cmd = cfg.cmd,
      root_dir = root,
      init_options = cfg.init_options,
      capabilities = caps,
      on_init = function(client, result)
        if result and result.offsetEncoding then client.offset_encoding = result.offsetEncoding end
      end,
    })
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

-- Runs "Fix with AI" for the diagnostic under the cursor, without a menu.
function M.fix_with_ai()
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf.code_action({
    diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr),
    only = { 'quickfix' },
  })
end

function M.setup(opts)
  cfg = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  vim.api.nvim_create_autocmd('FileType', {
    pattern = cfg.filetypes,
    callback = function(args) M.attach(args.buf) end,
  })
  vim.api.nvim_create_user_command('FixWithAI', function()
    local select = vim.ui.select
    -- pick "Fix with AI" from the code actions without asking
    vim.ui.select = function(items, o, on_choice)
      vim.ui.select = select
      for _, item in ipairs(items) do
        if item[2].title == 'Fix with AI' then return on_choice(item) end
      end
      vim.notify('fix: no "Fix with AI" action here', vim.log.levels.WARN)
    end
    M.fix_with_ai()
  end, {})
end

return M
